/**
 * Download destinations are unique per job: templates under which many files render to one name
 * keep every file (each byte-identical to its Telegram file), and an unclosed `{` is bad usage.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { runCli } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=30,files=5,file_size=200KB,forum=0,comments=0,left=0";
const T = { timeoutMs: 150_000 };

async function _sha(bytes: Uint8Array<ArrayBuffer> | Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test({
  name: "download: files whose names render alike are all kept, each intact; an unclosed { is exit 2",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_names_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    try {
      const want = new Set<string>();
      for (const f of tg.world.files.values()) {
        const blob = f.kind === "document" ? f.blob : f.sizes.at(-1)!.blob;
        want.add(await _sha(await readBlob(blob, 0, blob.size)));
      }
      for (const template of ["{type}.{ext}", "same"]) {
        const out = `${dir}/${template.replace(/\W/g, "_")}`;
        const r = await runCli(
          ["--json", "download", "@gen_channel_0", "--template", template, "--out", out],
          {
            env,
            ...T,
          },
        );
        assert.equal(r.code, 0, r.stderr);
        const done = r.events.filter((e) => e.type === "item_done");
        const paths = done.map((e) => e.type === "item_done" ? e.path! : "");
        assert.equal(new Set(paths).size, paths.length, `distinct paths: ${paths.join(", ")}`);
        const got = new Set<string>();
        for await (const e of Deno.readDir(out)) {
          assert.ok(!e.name.endsWith(".part"), e.name);
          got.add(await _sha(await Deno.readFile(`${out}/${e.name}`)));
        }
        assert.equal(got.size, done.length, "one file on disk per item");
        for (const h of got) assert.ok(want.has(h), "each file is one of Telegram's, byte for byte");
      }
      const bad = await runCli([
        "--json",
        "download",
        "@gen_channel_0",
        "--template",
        "{id",
        "--out",
        `${dir}/x`,
      ], {
        env,
        ...T,
      });
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(JSON.stringify(bad.events), /Unbalanced brace/);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
