import assert from "node:assert/strict";
import { exportChats } from "../../../lib/app/export/export_chats.ts";
import type { EventBody as Event } from "../../../lib/progress/events.ts";
import { startFakeTelegram } from "../../fakedc/cluster.ts";
import { readTree, treeDiff } from "../../e2e/_export_helpers.ts";

const BROKEN_WORKER = new URL("../../engine/fixtures/broken_worker.ts", import.meta.url);

Deno.test("export on fetch workers, on the main thread, and on workers that cannot start writes the same tree", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_workers_" });
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1200,files=0,forum=0,comments=0,left=0",
    basePort: 0,
    faults: "rtt=2",
  });
  try {
    const runs = [
      { name: "workers", fetchWorkers: 2 },
      { name: "main", fetchWorkers: 0 },
      // a worker module that throws while it loads, as one missing from a build would
      { name: "broken", fetchWorkers: 2, fetchWorkerUrl: BROKEN_WORKER },
    ];
    const trees = [];
    const events: Record<string, Event[]> = {};
    for (const { name, fetchWorkers, fetchWorkerUrl } of runs) {
      const out = `${tmp}/${name}`;
      const seen: Event[] = events[name] = [];
      const report = await exportChats(["@gen_channel_0"], {
        out,
        kv: `${tmp}/${name}.kv`,
        layout: "message",
        mediaKinds: new Set(),
        access: {
          apiId: Number(tg.env.TGPIPE_API_ID),
          apiHash: tg.env.TGPIPE_API_HASH,
          endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
          sessionFile: `${tmp}/session`,
          sessionString: tg.env.TGPIPE_SESSION,
        },
        shards: 4,
        shardSize: 150,
        fetchWorkers,
        fetchWorkerUrl,
        emit: (e) => seen.push(e),
      });
      assert.equal(report.exit_code, 0, name);
      assert.equal(report.messages, 1200, name);
      trees.push(await readTree(out));
    }
    assert.ok(trees[0].size > 1200);
    assert.deepEqual(treeDiff(trees[0], trees[1]), []);
    assert.deepEqual(treeDiff(trees[0], trees[2]), []);
    // workers that cannot start: one warning, then this thread; no shard or chat is retried
    const kinds = (name: string, type: string) => events[name].filter((e) => e.type === type);
    const warnings = kinds("broken", "warning");
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal((warnings[0] as { code: string }).code, "FETCH_WORKERS_UNAVAILABLE");
    assert.match((warnings[0] as { message: string }).message, /broken at load/);
    // nothing failed or was retried for the workers (a busy machine may retry a slow call: not asserted)
    const workerErrors = events.broken.filter((e) => /WORKER_/.test(JSON.stringify(e)));
    assert.deepEqual(workerErrors, []);
    assert.deepEqual(events.broken.filter((e) => e.type === "item_failed"), []);
    assert.deepEqual(kinds("workers", "warning"), []);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
