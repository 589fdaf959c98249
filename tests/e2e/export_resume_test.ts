import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { makeRng } from "../fakedc/faults.ts";
import { readTree, runTgpipe, spawnTgpipe, treeDiff } from "./_export_helpers.ts";

const WORLD = "gen:chats=2,messages=4000,files=6,file_size=48KB,forum=0,comments=0,left=0";

Deno.test("export: kill -9 at 10 seeded random points, then resume, gives the uninterrupted output", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_kill_" });
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rtt=4" });
  try {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/ref.kv` };
    const args = (out: string) => ["export", "@gen_channel_0", "--out", out, "--shards", "3"];
    const t0 = performance.now();
    const ref = await runTgpipe(args(`${tmp}/ref`), env);
    const refMs = performance.now() - t0;
    assert.equal(ref.code, 0, ref.stderr);
    const want = await readTree(`${tmp}/ref`);
    assert.ok(want.has("chats/1700000000/messages.jsonl"));
    const rng = makeRng(42);
    let interrupted = 0;
    for (let trial = 0; trial < 10; trial++) {
      const out = `${tmp}/t${trial}`;
      const kenv = { ...env, TGPIPE_KV: `${tmp}/t${trial}.kv` };
      // kill somewhere inside the fetch and write: past most of the start-up, before the end
      // (measured on the uninterrupted run, so the points follow the machine's speed)
      const delay = Math.floor(refMs * (0.3 + 0.6 * rng()));
      const child = spawnTgpipe(args(out), kenv);
      await new Promise((r) => setTimeout(r, delay));
      try {
        child.kill("SIGKILL");
      } catch {
        // it already finished: the resume below must then change nothing
      }
      await child.output();
      // interrupted: some chat's messages.jsonl is not committed yet (the run stopped inside it)
      const jsonls = [...want.keys()].filter((p) => p.endsWith("/messages.jsonl"));
      const committed = await Promise.all(
        jsonls.map((p) => Deno.stat(`${out}/${p}`).then(() => true, () => false)),
      );
      if (committed.includes(false)) interrupted++;
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
