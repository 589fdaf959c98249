import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { makeRng } from "../fakedc/faults.ts";
import { readTree, runTgpipe, spawnTgpipe, treeDiff } from "./_export_helpers.ts";

const WORLD = "gen:chats=2,messages=4000,files=6,file_size=48KB,forum=0,comments=0,left=0";

Deno.test("export: kill -9 at 10 seeded random points, then resume, gives the uninterrupted output", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_kill_" });
  // The DC's trace log sees every request as it arrives, before it is answered: a kill from there
  // lands at an exact point of the work, however fast or slow this machine is.
  let onHistory = () => {};
  const log = (line: string) => {
    if (/<- (.* > )?messages\.GetHistory \(layer \d+\)$/.test(line)) onHistory();
  };
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rtt=4", trace: true, log });
  try {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/ref.kv` };
    const args = (out: string) => ["export", "@gen_channel_0", "--out", out, "--shards", "3"];
    let pages = 0;
    onHistory = () => pages++;
    const ref = await runTgpipe(args(`${tmp}/ref`), env);
    assert.equal(ref.code, 0, ref.stderr);
    assert.ok(pages > 10, `the reference export asked for ${pages} history pages`);
    const want = await readTree(`${tmp}/ref`);
    assert.ok(want.has("chats/1700000000/messages.jsonl"));
    const rng = makeRng(42);
    for (let trial = 0; trial < 10; trial++) {
      const out = `${tmp}/t${trial}`;
      const kenv = { ...env, TGPIPE_KV: `${tmp}/t${trial}.kv` };
      // Killed when the DC receives a seeded history request, before answering it: the export
      // cannot have finished, and the point is one of the work itself, not of the clock.
      const killAt = 1 + Math.floor(rng() * (pages - 1));
      let seen = 0;
      const child = spawnTgpipe(args(out), kenv);
      onHistory = () => {
        if (++seen === killAt) child.kill("SIGKILL");
      };
      const { code } = await child.output();
      onHistory = () => {};
      assert.ok(
        seen >= killAt && code !== 0,
        `trial ${trial}: exit ${code} after ${seen} of ${killAt} pages`,
      );
      const again = await runTgpipe(args(out), kenv);
      assert.equal(again.code, 0, `trial ${trial}: ${again.stderr}`);
      const got = await readTree(out);
      assert.deepEqual(
        treeDiff(want, got),
        [],
        `trial ${trial} (killed at history request ${killAt} of ${pages})`,
      );
    }
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
