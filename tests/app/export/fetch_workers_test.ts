import assert from "node:assert/strict";
import { exportChats } from "../../../lib/app/export/export_chats.ts";
import { startFakeTelegram } from "../../fakedc/cluster.ts";
import { readTree, treeDiff } from "../../e2e/_export_helpers.ts";

Deno.test("export on fetch workers and on the main thread (fetchWorkers 0) writes the same tree", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_workers_" });
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1200,files=0,forum=0,comments=0,left=0",
    basePort: 0,
    faults: "rtt=2",
  });
  try {
    const trees = [];
    for (const fetchWorkers of [2, 0]) {
      const out = `${tmp}/out${fetchWorkers}`;
      const report = await exportChats(["@gen_channel_0"], {
        out,
        kv: `${tmp}/p${fetchWorkers}.kv`,
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
      });
      assert.equal(report.messages, 1200);
      trees.push(await readTree(out));
    }
    assert.ok(trees[0].size > 1200);
    assert.deepEqual(treeDiff(trees[0], trees[1]), []);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
