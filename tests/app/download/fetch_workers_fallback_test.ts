/**
 * `download --workers` whose fetch workers cannot start (their module throws while it loads): the
 * parts go over this thread's connections after one warning, instead of being retried with
 * backoff part by part and file by file for minutes.
 */
import assert from "node:assert/strict";
import { download } from "../../../lib/app/download/download.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { startFakeTelegram } from "../../fakedc/cluster.ts";
import { readBlob } from "../../fakedc/world/blob.ts";

const BROKEN_WORKER = new URL("../../engine/fixtures/broken_worker.ts", import.meta.url);

Deno.test("download on fetch workers that cannot start fetches on the main thread after one warning", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=5,files=0,big_files=2,big_size=3MB,forum=0,comments=0,left=0",
    basePort: 0,
  });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_dl_broken_workers_" });
  try {
    const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
    const docs = chat.messages.filter((m) => m.media?.kind === "document");
    assert.equal(docs.length, 2);
    const events: EventBody[] = [];
    const report = await download({
      inputs: ["https://t.me/gen_channel_0"],
      out: `${dir}/o`,
      kv: `${dir}/p.kv`,
      template: "{id}",
      accounts: [{
        apiId: Number(tg.env.TGPIPE_API_ID),
        apiHash: tg.env.TGPIPE_API_HASH,
        endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
        sessionFile: `${dir}/session`,
        sessionString: tg.env.TGPIPE_SESSION,
      }],
      workers: 1,
      fetchWorkerUrl: BROKEN_WORKER,
      emit: (e) => events.push(e),
    });
    assert.equal(report.exit_code, 0, JSON.stringify(events.filter((e) => e.type !== "item_progress")));
    for (const m of docs) {
      const md = m.media!;
      assert.ok(md.kind === "document");
      const want = await readBlob(md.doc.blob, 0, md.doc.blob.size);
      const got = await Deno.readFile(`${dir}/o/${m.id}`);
      assert.equal(got.length, want.length);
      assert.ok(got.every((b, i) => b === want[i]), `file ${m.id} is byte-identical`);
    }
    const warnings = events.filter((e) => e.type === "warning");
    assert.deepEqual(warnings.map((w) => w.type === "warning" && w.code), ["FETCH_WORKERS_UNAVAILABLE"]);
    // nothing failed or was retried for the workers (a busy machine may retry a slow call: not asserted)
    const workerErrors = events.filter((e) => /WORKER_/.test(JSON.stringify(e)));
    assert.deepEqual(workerErrors, []);
    assert.deepEqual(events.filter((e) => e.type === "item_failed"), []);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
