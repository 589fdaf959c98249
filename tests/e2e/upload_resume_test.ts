/**
 * `tgpipe upload` killed with SIGKILL at 10 seeded points of its work (bytes confirmed, or the
 * moment the DC receives a send: the message then exists but the client never hears of it), then
 * run again: every file is in the chat exactly once and downloads back byte for byte, and a big
 * file cut off mid-way continues from its saved parts.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { makeRng } from "../fakedc/faults.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { spawnWithEvents } from "./_export_helpers.ts";
import { arrived, sha256, writeRandom } from "./_upload_helpers.ts";

const MB = 1 << 20;
const T = { timeoutMs: 150_000 };

Deno.test({
  name: "upload: kill -9 at 10 seeded points, then rerun: each file once, identical, big file resumed",
  fn: async () => {
    let onSend = () => {};
    const log = (line: string) => {
      if (/<- (.* > )?messages\.SendMedia \(layer \d+\)$/.test(line)) onSend();
    };
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=1,files=0",
      basePort: 0,
      trace: true,
      log,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_upk_" });
    const kill = (c: Deno.ChildProcess) => {
      try {
        c.kill("SIGKILL");
      } catch { /* already gone */ }
    };
    try {
      const sums = new Map<string, string>();
      sums.set("a.bin", await writeRandom(`${dir}/a.bin`, 300_000, 11));
      sums.set("b.bin", await writeRandom(`${dir}/b.bin`, 2 * MB + 5, 12));
      sums.set("c.bin", await writeRandom(`${dir}/c.bin`, 16 * MB + 7, 13));
      const total = 300_000 + 2 * MB + 5 + 16 * MB + 7;
      const rng = makeRng(7);
      let duplicates = 0;
      for (let trial = 0; trial < 10; trial++) {
        const env = { ...tg.env, TGPIPE_KV: `${dir}/t${trial}.kv` };
        const args = [
          "--json",
          "upload",
          `${dir}/a.bin`,
          `${dir}/b.bin`,
          `${dir}/c.bin`,
          "--caption",
          `t${trial} {name}`,
        ];
        const before = (await arrived(tg.world)).length;
        // even trials: when the DC receives the k-th send; odd ones: when a seeded share of the bytes is confirmed
        const atSend = trial % 2 === 0 ? 1 + Math.floor(rng() * 3) : 0;
        const atBytes = trial % 2 === 1 ? Math.floor((0.2 + 0.7 * rng()) * total) : 0;
        let sends = 0, fired = false, bigDone = 0;
        const perItem = new Map<string, number>();
        const run = spawnWithEvents(args, env, (e) => {
          if (e.type !== "item_progress" || fired || !atBytes) return;
          perItem.set(e.item, e.done_bytes);
          if (e.item.endsWith("c.bin")) bigDone = e.done_bytes;
          if ([...perItem.values()].reduce((s, n) => s + n, 0) >= atBytes) {
            fired = true;
            kill(run.child);
          }
        });
        onSend = () => {
          if (atSend && !fired && ++sends === atSend) {
            fired = true;
            kill(run.child);
          }
        };
        const code = await run.done();
        onSend = () => {};
        assert.ok(fired && code !== 0, `trial ${trial}: exit ${code}, kill fired: ${fired}`);
        const again = await runCli(args, { env, ...T });
        const failed = again.events.filter((e) => e.type === "item_failed");
        assert.equal(again.code, 0, `trial ${trial}: ${again.stderr} ${JSON.stringify(failed)}`);
        const got = (await arrived(tg.world)).slice(before);
        const names = got.map((g) => g.name).sort();
        assert.deepEqual(names, ["a.bin", "b.bin", "c.bin"], `trial ${trial}: each file exactly once`);
        for (const g of got) assert.equal(g.sha256, sums.get(g.name), `trial ${trial}: ${g.name}`);
        const res = again.events.find((e) => e.type === "result");
        const files = res?.type === "result"
          ? (res.data as { files: Array<Record<string, unknown>> }).files
          : [];
        const big = files.find((f) => String(f.item).endsWith("c.bin"));
        duplicates += files.filter((f) => f.outcome === "duplicate").length;
        // parts confirmed before the kill were not sent again
        if (bigDone >= MB && big?.outcome === "done") {
          assert.ok(
            Number(big.resumed_parts) >= Math.floor(bigDone / (512 * 1024)),
            `trial ${trial}: ${JSON.stringify(big)}`,
          );
        }
      }
      // a kill as the DC took a send left a message the client never heard of: the rerun's send
      // with the recorded random_id was refused as a duplicate, not posted again
      assert.ok(duplicates > 0, "a send cut off by the kill was found already done");
      // and `tgpipe download` reads one trial's files back byte for byte
      const out = `${dir}/back`;
      const dl = await runCli(
        ["download", "me", "--match", "t9 [a-c]\\.bin$", "--template", "{filename}", "--out", out],
        {
          env: { ...tg.env, TGPIPE_KV: `${dir}/dl.kv` },
          ...T,
        },
      );
      assert.equal(dl.code, 0, dl.stderr);
      for (const [name, sum] of sums) assert.equal(sha256(await Deno.readFile(`${out}/${name}`)), sum, name);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
