import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { makeRng } from "../fakedc/faults.ts";
import { readTree, runTgpipe, spawnTgpipe, treeDiff } from "./_export_helpers.ts";

const WORLD = "gen:chats=2,messages=1500,files=6,file_size=48KB,forum=0,comments=0,left=0";

Deno.test("export: kill -9 at 10 seeded random points, then resume, gives the uninterrupted output", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_kill_" });
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rtt=4" });
  try {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/ref.kv` };
    const args = (out: string) => ["export", "@gen_channel_0", "--out", out, "--shards", "3"];
    const ref = await runTgpipe(args(`${tmp}/ref`), env);
    assert.equal(ref.code, 0, ref.stderr);
    const want = await readTree(`${tmp}/ref`);
    assert.ok(want.has("chats/1700000000/messages.jsonl"));
    const rng = makeRng(42);
    let interrupted = 0;
    for (let trial = 0; trial < 10; trial++) {
      const out = `${tmp}/t${trial}`;
      const kenv = { ...env, TGPIPE_KV: `${tmp}/t${trial}.kv` };
      // the first ~1.2 s is start-up; kill somewhere inside the fetch and write
      const delay = 900 + Math.floor(rng() * 1800);
      const child = spawnTgpipe(args(out), kenv);
      await new Promise((r) => setTimeout(r, delay));
      try {
        child.kill("SIGKILL");
      } catch {
        // it already finished: the resume below must then change nothing
      }
      await child.output();
      if (!(await Deno.stat(`${out}/chats/1700000000/messages.jsonl`).then(() => true, () => false))) {
        interrupted++;
      }
      const again = await runTgpipe(args(out), kenv);
      assert.equal(again.code, 0, `trial ${trial}: ${again.stderr}`);
      const got = await readTree(out);
      assert.deepEqual(treeDiff(want, got), [], `trial ${trial} (kill after ${delay} ms)`);
    }
    // most kills must land inside the export, or the test proves nothing
    assert.ok(interrupted >= 6, `only ${interrupted} of 10 kills interrupted the export`);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
