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
    const ref = await runTgpipe(args(`${tmp}/ref`), env);
    assert.equal(ref.code, 0, ref.stderr);
    const want = await readTree(`${tmp}/ref`);
    assert.ok(want.has("chats/1700000000/messages.jsonl"));
    const jsonls = [...want.keys()].filter((p) => p.endsWith("/messages.jsonl"));
    const rng = makeRng(42);
    for (let trial = 0; trial < 10; trial++) {
      const out = `${tmp}/t${trial}`;
      const kenv = { ...env, TGPIPE_KV: `${tmp}/t${trial}.kv` };
      // Kill at a seeded point of the work itself, not of the clock: once a chosen chat's
      // messages.jsonl.part has grown to a seeded fraction of its final size.
      const target = jsonls[Math.floor(rng() * jsonls.length)];
      const bytes = Math.floor(want.get(target)!.length * (0.05 + 0.85 * rng()));
      const child = spawnTgpipe(args(out), kenv);
      const killedAt = await _killWhenGrown(child, `${out}/${target}.part`, bytes);
      await child.output();
      assert.ok(
        killedAt !== undefined,
        `trial ${trial}: the export ended before ${target} reached ${bytes} bytes`,
      );
      const again = await runTgpipe(args(out), kenv);
      assert.equal(again.code, 0, `trial ${trial}: ${again.stderr}`);
      const got = await readTree(out);
      assert.deepEqual(treeDiff(want, got), [], `trial ${trial} (killed at ${killedAt} bytes of ${target})`);
    }
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

/** SIGKILLs `child` once `path` holds at least `bytes`; undefined when the run ended first. */
async function _killWhenGrown(
  child: Deno.ChildProcess,
  path: string,
  bytes: number,
): Promise<number | undefined> {
  let ended = false;
  child.status.then(() => ended = true);
  while (!ended) {
    const size = await Deno.stat(path).then((s) => s.size, () => -1);
    if (size >= bytes) {
      child.kill("SIGKILL");
      return size;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return undefined;
}
