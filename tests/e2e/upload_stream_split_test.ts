/**
 * `tgpipe upload --split` of sources read once against the fake DC (part limit lowered to 2 parts,
 * 1 MB): a URL with a Content-Length over the limit, a URL without one and stdin are cut as they
 * stream into `name.001, ...` and a manifest; `tgpipe download` puts each back byte for byte. A
 * URL within the limit still goes whole.
 */
import assert from "node:assert/strict";
import { startOrigin } from "../_helpers/http_origin.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, seededBytes, sha256, withUploadDc } from "./_upload_helpers.ts";

const T = { timeoutMs: 150_000 };
const MB = 1 << 20;

async function _downloadBack(dir: string, env: Record<string, string>): Promise<Map<string, string>> {
  const out = `${dir}/back`;
  const dl = await runCli(["download", "me", "--out", out], {
    env: { ...env, TGPIPE_KV: `${dir}/dl.kv` },
    ...T,
  });
  assert.equal(dl.code, 0, dl.stderr);
  const found = new Map<string, string>();
  for await (const e of Deno.readDir(out)) {
    if (!e.isDirectory) continue;
    for await (const f of Deno.readDir(`${out}/${e.name}`)) {
      // saved as <message id>-<name> (download's default template)
      found.set(f.name.replace(/^\d+-/, ""), sha256(await Deno.readFile(`${out}/${e.name}/${f.name}`)));
    }
  }
  return found;
}

Deno.test({
  name: "upload --split of a URL (with and without length) and stdin: cut as they stream, put back whole",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      faults: "upload_parts=2",
      prefix: "tgpipe_upsstream_",
    }, async ({ tg, dir, env }) => {
      const sized = seededBytes(2.5 * MB + 77, 1),
        chunked = seededBytes(2 * MB, 2),
        fits = seededBytes(700_000, 3);
      const piped = seededBytes(1.2 * MB, 4);
      const origin = startOrigin({
        "/sized.bin": { body: sized },
        "/chunked.bin": { body: chunked, faults: () => ({ chunked: true }) },
        "/fits.bin": { body: fits },
      });
      try {
        await t.step("URLs: over the limit and of unknown size split, one within it whole", async () => {
          const r = await runCli([
            "upload",
            `${origin.base}/sized.bin`,
            `${origin.base}/chunked.bin`,
            `${origin.base}/fits.bin`,
            "--split",
            "--sort",
            "none",
            "--concurrency",
            "1",
            "--report",
            `${dir}/r.json`,
          ], { env, ...T });
          assert.equal(r.code, 0, r.stderr + r.stdout);
          const names = (await arrived(tg.world)).map((g) => g.name);
          assert.deepEqual(names, [
            "sized.bin.001",
            "sized.bin.002",
            "sized.bin.003",
            "sized.bin.tgsplit.json",
            // a chunked body's size shows only at its end: split even though exactly 2 pieces
            "chunked.bin.001",
            "chunked.bin.002",
            "chunked.bin.tgsplit.json",
            "fits.bin",
          ]);
          const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
          assert.deepEqual(
            report.files.map((f: { name: string; bytes: number; message_ids: [] }) => [
              f.name,
              f.bytes,
              f.message_ids.length,
            ]),
            [["sized.bin", sized.length, 4], ["chunked.bin", chunked.length, 3], [
              "fits.bin",
              fits.length,
              1,
            ]],
          );
        });
        await t.step("stdin: cut as it arrives", async () => {
          const r = await runCli(["upload", "-", "--name", "piped.tar", "--split", "--kv", `${dir}/s.kv`], {
            env,
            stdin: piped,
            ...T,
          });
          assert.equal(r.code, 0, r.stderr + r.stdout);
          const names = (await arrived(tg.world)).map((g) => g.name).slice(-3);
          assert.deepEqual(names, ["piped.tar.001", "piped.tar.002", "piped.tar.tgsplit.json"]);
        });
        await t.step("tgpipe download puts every one back byte for byte", async () => {
          const back = await _downloadBack(dir, tg.env);
          assert.deepEqual([...back.keys()].sort(), ["chunked.bin", "fits.bin", "piped.tar", "sized.bin"]);
          assert.equal(back.get("sized.bin"), sha256(sized));
          assert.equal(back.get("chunked.bin"), sha256(chunked));
          assert.equal(back.get("fits.bin"), sha256(fits));
          assert.equal(back.get("piped.tar"), sha256(piped));
        });
      } finally {
        await origin.close();
      }
    }),
});
