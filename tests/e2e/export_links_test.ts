/**
 * Message links name messages: `export t.me/<chat>/<id>` exports that message (or range), a link
 * that does not parse is exit 2 before any request (export and download), and runs of different
 * reach into one folder never leave a gap or shrink what is there.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

const T = { timeoutMs: 120_000 };

Deno.test({
  name:
    "export: message links export those messages; junk links are exit 2; a later whole-chat run has no gap",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=60,files=0,forum=0,comments=0,left=0",
      basePort: 0,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_links_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
    const ids = chat.messages.map((m) => m.id).sort((a, b) => a - b);
    const lines = async (out: string) => {
      const d = [...Deno.readDirSync(`${out}/chats`)][0].name;
      const text = await Deno.readTextFile(`${out}/chats/${d}/messages.jsonl`);
      return text.trim().split("\n").map((l) => JSON.parse(l).id as number);
    };
    try {
      const one = ids[10];
      const r1 = await runCli(
        ["--json", "export", `https://t.me/gen_channel_0/${one}`, "--out", `${dir}/a`],
        {
          env,
          ...T,
        },
      );
      assert.equal(r1.code, 0, r1.stderr);
      assert.deepEqual(await lines(`${dir}/a`), [one]);

      const range = `https://t.me/gen_channel_0/${ids[20]}-${ids[24]}`;
      const r2 = await runCli(["--json", "export", range, "--out", `${dir}/b`], { env, ...T });
      assert.equal(r2.code, 0, r2.stderr);
      assert.deepEqual(await lines(`${dir}/b`), ids.slice(20, 25));

      // the whole chat into the folder that held one message: every message, no gap below it
      const all = await runCli(["--json", "export", "@gen_channel_0", "--out", `${dir}/a`], { env, ...T });
      assert.equal(all.code, 0, all.stderr);
      assert.deepEqual(await lines(`${dir}/a`), ids);
      // and a narrower run afterwards leaves it as it is
      const again = await runCli([
        "--json",
        "export",
        `https://t.me/gen_channel_0/${one}`,
        "--out",
        `${dir}/a`,
      ], {
        env,
        ...T,
      });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await lines(`${dir}/a`), ids);

      const rpcs = tg.stats.rpcs;
      for (const cmd of ["export", "download"]) {
        const bad = await runCli(["--json", cmd, "https://t.me/gen_channel_0/abc", "--out", `${dir}/x`], {
          env,
          ...T,
        });
        assert.equal(bad.code, 2, `${cmd}: ${bad.stdout}`);
      }
      assert.equal(tg.stats.rpcs, rpcs, "no request for a link that does not parse");
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
