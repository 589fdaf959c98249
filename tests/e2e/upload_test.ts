/**
 * `tgpipe upload` end to end: the real CLI against the fake DC, every file read back from the
 * chat and compared by sha256; media attributes from real ffprobe/ffmpeg; the report.
 */
import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import type { WDocument } from "../fakedc/world/types.ts";
import { arrived, sha256, withUploadDc, writeRandom } from "./_upload_helpers.ts";

const T = { timeoutMs: 150_000 };
const MB = 1 << 20;

async function _ffmpeg(args: string[]): Promise<void> {
  const out = await new Deno.Command("ffmpeg", { args: ["-loglevel", "error", "-y", ...args] }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test({
  name: "upload: a folder with globs, captions, media attributes, the report; rerun sends nothing twice",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=3,files=0",
      prefix: "tgpipe_up_",
    }, async ({ tg, dir, env }) => {
      const src = `${dir}/in`;
      await Deno.mkdir(`${src}/sub/skip`, { recursive: true });
      const sums = new Map<string, string>();
      sums.set("big.bin", await writeRandom(`${src}/big.bin`, 11 * MB + 333, 1));
      sums.set("small.bin", await writeRandom(`${src}/sub/small.bin`, 700_000, 2));
      await writeRandom(`${src}/sub/skip/no.bin`, 1000, 3);
      await writeRandom(`${src}/notes.tmp`, 1000, 4);
      await _ffmpeg([
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=3:size=320x240:rate=10",
        "-pix_fmt",
        "yuv420p",
        `${src}/clip.mp4`,
      ]);
      await _ffmpeg(["-f", "lavfi", "-i", "testsrc=size=640x480", "-frames:v", "1", `${src}/pic.jpg`]);
      await _ffmpeg([
        "-f",
        "lavfi",
        "-i",
        "sine=duration=2",
        "-metadata",
        "title=Tone",
        "-metadata",
        "artist=Sine",
        `${src}/tone.mp3`,
      ]);
      for (const f of ["clip.mp4", "pic.jpg", "tone.mp3"]) {
        sums.set(f, sha256(await Deno.readFile(`${src}/${f}`)));
      }
      const args = [
        "--json",
        "upload",
        src,
        "--exclude",
        "**/skip/**",
        "--exclude",
        "*.tmp",
        "--caption",
        "{name} ({bytes} bytes) {index}/{count}",
        "--report",
        `${dir}/report.json`,
      ];
      await t.step("every file arrives once, byte for byte, with its caption and attributes", async () => {
        const r = await runCli(args, { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const got = await arrived(tg.world);
        assert.equal(got.length, 5, got.map((g) => g.name).join());
        for (const g of got) {
          const name = g.kind === "photo" ? "pic.jpg" : g.name;
          assert.equal(g.sha256, sums.get(name), name);
          assert.match(g.msg.text, new RegExp(`^${name.replace(".", "\\.")} \\(\\d+ bytes\\) \\d/5$`));
        }
        const doc = (n: string) =>
          got.find((g) => g.name === n)!.msg.media as { kind: "document"; doc: WDocument };
        const video = doc("clip.mp4").doc;
        assert.deepEqual(video.attrs.video, {
          w: 320,
          h: 240,
          duration: 3,
          round: undefined,
          supportsStreaming: true,
        });
        assert.equal(video.thumbs.length, 1, "a thumbnail went with the video");
        assert.equal(video.mimeType, "video/mp4");
        const audio = doc("tone.mp3").doc.attrs.audio!;
        assert.equal(audio.title, "Tone");
        assert.equal(audio.performer, "Sine");
        assert.equal(audio.duration, 2);
        const result = r.events.find((e) => e.type === "result");
        const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`));
        assert.ok(result?.type === "result" && result.kind === "upload");
        assert.deepEqual(report.files.map((f: { outcome: string }) => f.outcome), Array(5).fill("done"));
        assert.equal(report.success_rate, 1);
        assert.equal(report.sent_bytes, report.bytes, "nothing resumed: every byte sent in this run");
      });
      await t.step("--album: photos with videos in one album, the rest apart; --as document", async () => {
        const before = (await arrived(tg.world)).length;
        const r = await runCli([
          "upload",
          `${src}/pic.jpg`,
          `${src}/clip.mp4`,
          `${src}/sub/small.bin`,
          `${src}/big.bin`,
          `${src}/tone.mp3`,
          "--album",
          "--kv",
          `${dir}/album.kv`,
        ], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const got = (await arrived(tg.world)).slice(before);
        assert.equal(got.length, 5);
        for (const g of got) assert.equal(g.sha256, sums.get(g.kind === "photo" ? "pic.jpg" : g.name));
        const group = (n: string) =>
          got.find((g) => (g.kind === "photo" ? "pic.jpg" : g.name) === n)!.msg.groupedId;
        assert.ok(
          group("pic.jpg") !== undefined && group("pic.jpg") === group("clip.mp4"),
          "photo and video together",
        );
        assert.ok(
          group("small.bin") !== undefined && group("small.bin") === group("big.bin"),
          "documents together",
        );
        assert.notEqual(group("small.bin"), group("pic.jpg"));
        assert.equal(group("tone.mp3"), undefined, "a lone audio file is a plain message");
        const docs = await runCli(["upload", `${src}/pic.jpg`, "--as", "document", "--kv", `${dir}/doc.kv`], {
          env,
          ...T,
        });
        assert.equal(docs.code, 0, docs.stderr);
        const last = (await arrived(tg.world)).at(-1)!;
        assert.equal(last.kind, "document");
        assert.equal(last.sha256, sums.get("pic.jpg"));
      });
      await t.step("the same command again: every file done before, nothing sent", async () => {
        const before = (await arrived(tg.world)).length;
        const r = await runCli(args, { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await arrived(tg.world)).length, before);
        const done = r.events.find((e) => e.type === "done");
        assert.ok(done?.type === "done" && done.items_skipped === 5, JSON.stringify(done));
      });
    }),
});

Deno.test({
  name:
    "upload: too big is one file's error (exit 3, too_big advice); a channel one cannot post in; bad inputs refused",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=2,messages=3,files=0",
      faults: "upload_parts=3",
      prefix: "tgpipe_up_",
    }, async ({ tg, dir, env }) => {
      const ok = await writeRandom(`${dir}/ok.bin`, 1000, 5);
      await writeRandom(`${dir}/big.bin`, 2 * MB, 6);
      await t.step("the part limit advertised by the server makes 2 MB too big", async () => {
        const r = await runCli([
          "upload",
          `${dir}/ok.bin`,
          `${dir}/big.bin`,
          "--delete-after",
          "--report",
          `${dir}/r.json`,
        ], { env, ...T });
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stdout, /Failures: too_big 1/);
        assert.match(r.stdout, /Advice: .*--split/);
        const got = await arrived(tg.world);
        assert.deepEqual(got.map((g) => g.sha256), [ok]);
        const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
        assert.equal(report.categories.too_big, 1);
        assert.equal(report.success_rate, 0.5);
        // --delete-after removed the file Telegram confirmed, kept the one that failed
        assert.equal(await Deno.stat(`${dir}/ok.bin`).then(() => true, () => false), false);
        assert.equal((await Deno.stat(`${dir}/big.bin`)).size, 2 * MB);
      });
      await t.step("a broadcast channel the account does not admin: forbidden", async () => {
        const ch = [...tg.world.chats.values()].find((c) => c.kind === "channel" && c.username)!;
        await writeRandom(`${dir}/c.bin`, 500, 7);
        const r = await runCli(["--json", "upload", `${dir}/c.bin`, "--to", `@${ch.username}`], {
          env,
          ...T,
        });
        assert.equal(r.code, 3, r.stderr);
        const res = r.events.find((e) => e.type === "result");
        const data = res?.type === "result" ? res.data as { categories: Record<string, number> } : undefined;
        assert.equal(data?.categories.forbidden, 1, JSON.stringify(data));
        ch.admins = [tg.world.selfUserId];
        const again = await runCli(["upload", `${dir}/c.bin`, "--to", `@${ch.username}`], { env, ...T });
        assert.equal(again.code, 0, again.stderr);
        assert.equal((await arrived(tg.world, `channel:${ch.id}`)).length, 1);
      });
      await t.step(
        "--from-file - reads inputs from stdin; --as media refuses what auto sends as a document",
        async () => {
          const a = await writeRandom(`${dir}/list_a.bin`, 3000, 8);
          // random bytes named .mp4: ffprobe cannot read them
          const bad = await writeRandom(`${dir}/broken.mp4`, 5000, 9);
          const before = (await arrived(tg.world)).length;
          const r = await runCli(["upload", "--from-file", "-", "--kv", `${dir}/ff.kv`], {
            env,
            stdin: `# comment\n${dir}/list_a.bin\n\n${dir}/broken.mp4\n`,
            ...T,
          });
          assert.equal(r.code, 0, r.stderr);
          const got = (await arrived(tg.world)).slice(before);
          assert.deepEqual(got.map((g) => g.sha256).sort(), [a, bad].sort());
          const broken = got.find((g) => g.name === "broken.mp4")!.msg.media;
          assert.ok(
            broken?.kind === "document" && broken.doc.attrs.video === undefined,
            "auto: a plain document",
          );
          const media = await runCli([
            "--json",
            "upload",
            `${dir}/broken.mp4`,
            "--as",
            "media",
            "--kv",
            `${dir}/m.kv`,
          ], {
            env,
            ...T,
          });
          assert.equal(media.code, 3, media.stderr);
          const failed = media.events.find((e) => e.type === "item_failed");
          assert.ok(
            failed?.type === "item_failed" && failed.error.code === "NOT_MEDIA",
            JSON.stringify(failed),
          );
        },
      );
      await t.step(
        "a bad URL, - without --name, --name without -, a missing file: exit 2, one line",
        async () => {
          for (
            const args of [["http://[bad"], ["-"], [`${dir}/ok.bin`, "--name", "x"], [`${dir}/nope.bin`]]
          ) {
            const arg = args.join(" ");
            const r = await runCli(["upload", ...args], { env, stdin: "", ...T });
            assert.equal(r.code, 2, `${arg}: ${r.stderr}`);
            assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
          }
        },
      );
    }),
});
