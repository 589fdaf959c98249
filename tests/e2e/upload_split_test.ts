/**
 * `tgpipe upload --split` end to end against the fake DC with its part limit lowered to one part
 * (512 KB), so files of a few MB are "too big": a generic file arrives as pieces + manifest and
 * `tgpipe download` puts it back byte for byte; a video arrives as an album of pieces that each
 * play (ffprobe reads every one cleanly). Without --split the same file is a too_big item.
 */
import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, sha256, withUploadDc, writeRandom } from "./_upload_helpers.ts";

const T = { timeoutMs: 150_000 };
const MB = 1 << 20;

async function _run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const o = await new Deno.Command(cmd, { args }).output();
  const dec = new TextDecoder();
  return { ok: o.success, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

Deno.test({
  name: "upload --split: a file over the limit arrives as pieces + manifest, a video as an album that plays",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=3,files=0",
      faults: "upload_parts=1",
      prefix: "tgpipe_upsplit_",
    }, async ({ tg, dir, env }) => {
      const sum = await writeRandom(`${dir}/data.bin`, Math.round(1.3 * MB), 21);
      const made = await _run("ffmpeg", [
        ...["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=6:size=320x240:rate=25"],
        ...[
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          "-vf",
          "noise=alls=60:allf=t",
          "-b:v",
          "2000k",
          "-g",
          "5",
          "-pix_fmt",
          "yuv420p",
        ],
        `${dir}/trip.mp4`,
      ]);
      assert.ok(made.ok, made.err);
      const videoSize = (await Deno.stat(`${dir}/trip.mp4`)).size;
      assert.ok(videoSize > MB, `the video must be over the limit: ${videoSize}`);
      await t.step("without --split: too_big, exit 3", async () => {
        const r = await runCli(["upload", `${dir}/data.bin`, "--kv", `${dir}/nosplit.kv`], { env, ...T });
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stdout, /Failures: too_big 1/);
        assert.equal((await arrived(tg.world)).length, 0);
      });
      await t.step("a generic file: pieces in order, the manifest last", async () => {
        const r = await runCli(["upload", `${dir}/data.bin`, "--split", "--report", `${dir}/r.json`], {
          env,
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
        // the report lists the original once, with the messages of its pieces and manifest
        const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
        assert.deepEqual(
          report.files.map((
            f: Record<string, unknown>,
          ) => [f.name, f.outcome, f.bytes, (f.message_ids as []).length]),
          [["data.bin", "done", Math.round(1.3 * MB), 4]],
        );
        const got = await arrived(tg.world);
        assert.deepEqual(got.map((g) => g.name), [
          "data.bin.001",
          "data.bin.002",
          "data.bin.003",
          "data.bin.tgsplit.json",
        ]);
        assert.ok(got.every((g) => g.msg.groupedId === undefined), "pieces go as plain messages");
      });
      await t.step("tgpipe download reassembles it byte for byte", async () => {
        const out = `${dir}/back`;
        const dl = await runCli(["download", "me", "--out", out], {
          env: { ...tg.env, TGPIPE_KV: `${dir}/dl.kv` },
          ...T,
        });
        assert.equal(dl.code, 0, dl.stderr);
        const found: string[] = [];
        for await (const e of Deno.readDir(out)) {
          if (!e.isDirectory) continue;
          for await (const f of Deno.readDir(`${out}/${e.name}`)) found.push(`${out}/${e.name}/${f.name}`);
        }
        const whole = found.filter((p) => p.endsWith("data.bin"));
        assert.equal(whole.length, 1, found.join());
        assert.equal(sha256(await Deno.readFile(whole[0])), sum);
      });
      await t.step("the same --split command again: done before, nothing sent twice", async () => {
        const n = (await arrived(tg.world)).length;
        const r = await runCli(["upload", `${dir}/data.bin`, "--split"], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await arrived(tg.world)).length, n);
      });
      await t.step(
        "--album --json: the big file split, the small one sent; progress under the items",
        async () => {
          // runCli checks the --json event order: progress only of items the runner started
          const small = await writeRandom(`${dir}/small.bin`, 1000, 22);
          const before = (await arrived(tg.world)).length;
          const r = await runCli(
            [
              "--json",
              "upload",
              `${dir}/data.bin`,
              `${dir}/small.bin`,
              "--album",
              "--split",
              "--kv",
              `${dir}/al.kv`,
            ],
            { env, ...T },
          );
          assert.equal(r.code, 0, r.stderr);
          const got = (await arrived(tg.world)).slice(before);
          assert.equal(got.length, 5, got.map((g) => g.name).join());
          assert.equal(got.filter((g) => g.sha256 === small).length, 1);
          assert.ok(r.events.some((e) => e.type === "item_progress"));
        },
      );
      await t.step("a video: an album of pieces that each play, adding up to the original", async () => {
        const before = (await arrived(tg.world)).length;
        const r = await runCli(["--json", "upload", `${dir}/trip.mp4`, "--split"], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const warned = r.events.filter((e) => e.type === "warning");
        assert.deepEqual(warned, [], "cut at keyframes, not the generic way");
        const got = (await arrived(tg.world)).slice(before);
        assert.ok(got.length >= 3, got.map((g) => g.name).join());
        assert.ok(got.every((g) => /^trip\.\d{3}\.mp4$/.test(g.name)), got.map((g) => g.name).join());
        const groups = new Set(got.map((g) => g.msg.groupedId));
        assert.equal(groups.size, Math.ceil(got.length / 10));
        assert.ok(!groups.has(undefined), "sent as an album");
        const out = `${dir}/vback`;
        const dl = await runCli([
          "download",
          "me",
          "--match",
          "^trip",
          "--template",
          "{filename}",
          "--out",
          out,
        ], {
          env: { ...tg.env, TGPIPE_KV: `${dir}/vdl.kv` },
          ...T,
        });
        assert.equal(dl.code, 0, dl.stderr);
        let total = 0;
        for (const g of got) {
          const probe = await _run("ffprobe", [
            ...["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", `${out}/${g.name}`],
          ]);
          assert.ok(probe.ok && probe.err.trim() === "", `${g.name}: ${probe.err}`);
          total += Number(probe.out.trim());
          const doc = g.msg.media?.kind === "document" ? g.msg.media.doc : undefined;
          assert.ok(doc?.attrs.video, `${g.name} went as a video`);
        }
        assert.ok(Math.abs(total - 6) < 0.5, `the pieces add up to the video: ${total}`);
      });
    }),
});
