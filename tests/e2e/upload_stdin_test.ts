/**
 * `tgpipe upload - --name NAME` end to end: bytes piped into the real CLI arrive in Saved Messages of
 * the fake DC, read back with `tgpipe download` and compared by sha256; a rerun sends nothing twice.
 */
import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, sha256, withUploadDc, writeRandom } from "./_upload_helpers.ts";

const T = { timeoutMs: 150_000 };

Deno.test({
  name: "upload: stdin with --name arrives byte for byte (size unknown, big-file path); a rerun skips it",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=3,files=0",
      prefix: "tgpipe_upstdin_",
    }, async ({ tg, dir, env }) => {
      // over 10 MB: unknown size, so file_total_parts = -1 until the last part
      const sum = await writeRandom(`${dir}/in.bin`, 11 * (1 << 20) + 77, 11);
      const bytes = await Deno.readFile(`${dir}/in.bin`);
      const args = ["--json", "upload", "-", "--name", "x.bin", "--caption", "{name} from {source}"];
      await t.step("piped bytes arrive as x.bin", async () => {
        const r = await runCli(args, { env, stdin: bytes, ...T });
        assert.equal(r.code, 0, r.stderr);
        const got = await arrived(tg.world);
        assert.deepEqual(got.map((g) => [g.name, g.sha256, g.msg.text]), [[
          "x.bin",
          sum,
          "x.bin from stdin",
        ]]);
      });
      await t.step(
        "the same command again: a warning that stdin is not resumed; the item is done, nothing sent twice",
        async () => {
          const r = await runCli(args, { env, stdin: bytes, ...T });
          assert.equal(r.code, 0, r.stderr);
          assert.equal((await arrived(tg.world)).length, 1);
          const warned = r.events.find((e) => e.type === "warning" && e.code === "STDIN_NOT_RESUMABLE");
          assert.ok(warned, "the rerun says stdin is not resumed");
          const res = r.events.find((e) => e.type === "result");
          const files = res?.type === "result"
            ? (res.data as { files: Record<string, unknown>[] }).files
            : [];
          assert.deepEqual(files.map((f) => [f.item, f.source, f.outcome]), [[
            "stdin:x.bin",
            "stdin",
            "skipped",
          ]]);
        },
      );
      await t.step("tgpipe download reads it back", async () => {
        const out = `${dir}/back`;
        const dl = await runCli(["download", "me", "--template", "{filename}", "--out", out], {
          env: { ...tg.env, TGPIPE_KV: `${dir}/dl.kv` },
          ...T,
        });
        assert.equal(dl.code, 0, dl.stderr);
        assert.equal(sha256(await Deno.readFile(`${out}/x.bin`)), sum);
      });
      await t.step("stdin cannot be both - and --from-file -; an empty --name is refused", async () => {
        for (const extra of [["--from-file", "-", "--name", "y.bin"], ["--name", ""]]) {
          const r = await runCli(["upload", "-", ...extra], { env, stdin: "x", ...T });
          assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
          assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        }
      });
    }),
});

Deno.test({
  name:
    "upload: stdin is not read twice: the runner's retry after a failed send says so (source, not_resumable)",
  fn: () =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      // every send fails with a 500: worth a retry, but stdin's bytes are gone by then
      faults: "fail=messages.SendMedia:500/INTERNAL",
      prefix: "tgpipe_upstdin_",
    }, async ({ tg, env }) => {
      const r = await runCli(["--json", "upload", "-", "--name", "once.bin"], {
        env,
        stdin: "some bytes",
        ...T,
      });
      assert.notEqual(r.code, 0, r.stderr);
      const res = r.events.find((e) => e.type === "result");
      const files = res?.type === "result" ? (res.data as { files: Record<string, unknown>[] }).files : [];
      assert.equal(files.length, 1, JSON.stringify(files));
      assert.deepEqual([files[0].outcome, files[0].category, files[0].attempts], ["failed", "source", 2]);
      assert.match(String(files[0].error), /Standard input was read once already/);
      assert.equal((await arrived(tg.world)).length, 0);
    }),
});
