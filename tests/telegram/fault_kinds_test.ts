/**
 * Fault kinds of the fake DC met by the real client (lib/telegram over GramJS): unanswered RPCs
 * time out and are retried; stalled file parts are cut off by the download engine and refetched.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import { join } from "node:path";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { listDialogs } from "../../lib/telegram/list_dialogs.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { historyFiles } from "../../lib/telegram/media_messages.ts";
import { connectFiles } from "../../lib/telegram/connect_files.ts";
import { downloadFile } from "../../lib/engine/download_file.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";

const SAMPLE = new URL("../../../shared/data/tdesktop/tg2md", import.meta.url).pathname;

Deno.test("RPC timeouts: unanswered calls time out, are retried and the listing completes", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=3,messages=250", faults: "timeout=0.15", seed: 11 });
  const events: TgpipeEvent[] = [];
  try {
    const client = await openFakeDcClient(tg, {
      emit: (e) => void events.push(e as TgpipeEvent),
      policy: { timeoutMs: 400, maxRetries: 12, baseDelayMs: 10 },
    });
    try {
      const chats = await listDialogs(client, { counts: false });
      assert.ok(chats.length >= 3, `${chats.length} chats`);
      const chan = chats.find((c) => c.kind === "channel")!;
      const ids = new Set<number>();
      for (let after = 0;;) {
        const page = await fetchHistoryPage(client, chan, { after });
        for (const { message } of page.messages) ids.add(message.id);
        if (!page.more) break;
        after = page.last;
      }
      assert.equal(ids.size, tg.world.chats.get(`channel:${chan.id}`)!.messages.length);
    } finally {
      await client.close();
    }
    assert.ok(tg.stats.faultTimeouts > 0, "the DC left calls unanswered");
    assert.ok(events.some((e) => e.type === "retry"), "retries were reported as events");
  } finally {
    await tg.close();
  }
});

Deno.test("stalled file parts: the engine's stall watchdog cuts them off and the bytes come back identical", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_stall_" });
  const tg = await startFakeTelegram({ world: SAMPLE, faults: "stall=0.3,stall_ms=60000", seed: 5 });
  const events: TgpipeEvent[] = [];
  const client = await openFakeDcClient(tg);
  const files = await connectFiles(client, { connections: 2 });
  try {
    const chat = (await listDialogs(client, { counts: false }))[0];
    const exported = JSON.parse(await Deno.readTextFile(join(SAMPLE, "result.json")));
    let compared = 0;
    for await (const rf of historyFiles(client, chat)) {
      const m = exported.messages.find((x: { id: number }) => x.id === rf.messageId);
      const path = m?.photo ?? m?.file;
      const disk = path ? await Deno.readFile(join(SAMPLE, path)).catch(() => undefined) : undefined;
      if (!disk) continue;
      const dest = `${tmp}/${rf.messageId}`;
      await downloadFile(files.source(rf), dest, {
        item: `m${rf.messageId}`,
        concurrency: 2,
        partSize: 16384,
        stallMs: 300,
        attempts: 20,
        retryBaseMs: 5,
        retryMaxMs: 20,
        emit: (e) => void events.push(e as TgpipeEvent),
      });
      assert.deepEqual(await Deno.readFile(dest), disk, path);
      if (++compared >= 3) break;
    }
    assert.equal(compared, 3);
    assert.ok(events.some((e) => e.type === "retry"), "a stalled part was retried");
  } finally {
    await files.close();
    await client.close();
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
