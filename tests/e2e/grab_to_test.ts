/**
 * `tgpipe grab --to` end to end: the real yt-dlp against the loopback site, the real GramJS client
 * against the fake DC. What arrives in the chat is read back from the fake DC and compared by
 * sha256 with the grabbed file; caption, thumbnail, video and audio attributes; upload progress
 * events; a rerun sends nothing new (also after --delete-after, without downloading again); an
 * unknown chat or a missing login is refused before yt-dlp runs; a file over the account's limit
 * fails its link.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_helpers/run_cli.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import type { WDocument } from "../fakedc/world/types.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { startSite } from "../grab/_site.ts";
import { arrived, sha256 } from "./_upload_helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const T = { timeoutMs: 150_000 };

function result(events: TgpipeEvent[]): Any {
  const r = events.find((e) => e.type === "result" && e.kind === "grab");
  assert.ok(r && r.type === "result", `no grab result in ${JSON.stringify(events.map((e) => e.type))}`);
  return r.data;
}

function docOf(a: { msg: { media?: unknown } }): WDocument {
  const m = a.msg.media as { kind: string; doc: WDocument };
  assert.equal(m.kind, "document");
  return m.doc;
}

Deno.test({
  name:
    "grab --to: each file arrives byte for byte with title, link, thumbnail and attributes; reruns send nothing",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: "gen:chats=1,messages=3,files=0", basePort: 0 });
    const site = await startSite();
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_grab_to_" });
    const env = { ...tg.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", TGPIPE_KV: join(dir, "p.kv") };
    try {
      const out = join(dir, "out");
      const page = `${site.base}/page.html`, hls = `${site.base}/hls/master.m3u8`;
      const args = ["--json", "grab", page, hls, "--out", out, "--quality", "240p", "--to", "me"];
      await t.step("the video files go to Saved Messages", async () => {
        const r = await runCli(args, { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const files = result(r.events).files;
        assert.equal(files.length, 2);
        const got = await arrived(tg.world);
        assert.equal(got.length, 2, got.map((g) => g.name).join());
        for (const f of files) {
          const a = got.find((g) => g.msg.id === f.sent.message_ids[0]);
          assert.ok(a, `message ${f.sent.message_ids} of ${f.path}`);
          assert.equal(f.sent.to, "me");
          assert.equal(a.sha256, sha256(await Deno.readFile(f.path)), "byte for byte");
          assert.equal(a.msg.text, `${f.title}\n${f.source_url}`);
          const doc = docOf(a);
          assert.equal(doc.mimeType, "video/mp4");
          const v = doc.attrs.video!;
          assert.deepEqual([v.w, v.h, v.supportsStreaming], [320, 240, true], JSON.stringify(v));
          assert.ok(Math.abs(v.duration - 2) < 0.5, `duration ${v.duration}`);
          assert.equal(doc.thumbs.length, 1, "a thumbnail went with the video");
        }
        const pageFile = files.find((f: Any) => f.url === page);
        assert.equal(pageFile.title, "Test clip with sources (1)");
        assert.ok(pageFile.thumbnail, "the page's poster was the thumbnail");
        // upload bytes as events of the link, the download's item_progress left alone
        const up = r.events.filter((e) => e.type === "upload_progress" && e.item === page);
        assert.ok(up.length > 0, "upload_progress of the link");
        const last = up.at(-1)!;
        assert.ok(
          last.type === "upload_progress" && last.done_bytes === pageFile.bytes,
          JSON.stringify(last),
        );
        const stages = r.events.filter((e) => e.type === "item_stage" && e.item === page)
          .map((e) => e.type === "item_stage" && e.stage);
        assert.deepEqual(stages.slice(-2), ["post", "upload"]);
        // the file stays in --out without --delete-after
        for (const f of files) assert.equal((await Deno.stat(f.path)).size, f.bytes);
      });
      await t.step("the same command again: nothing downloaded, nothing sent", async () => {
        const asked = site.requests.length;
        const r = await runCli(args, { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await arrived(tg.world)).length, 2);
        const done = r.events.find((e) => e.type === "done");
        assert.ok(done?.type === "done" && done.items_skipped === 2, JSON.stringify(done));
        assert.equal(site.requests.length, asked);
        assert.equal(r.events.filter((e) => e.type === "upload_progress").length, 0);
        const ids = result(r.events).files.map((f: Any) => f.sent.message_ids.length);
        assert.deepEqual(ids, [1, 1], "the result still says where each file went");
      });
      await t.step(
        "--audio mp3 --delete-after: sent as audio with its cover, then deleted; the rerun does not fetch it again",
        async () => {
          const audioArgs = [
            "--json",
            "grab",
            page,
            "--out",
            join(dir, "music"),
            "--audio",
            "mp3",
            "--to",
            "me",
            "--delete-after",
          ];
          const r = await runCli(audioArgs, { env, ...T });
          assert.equal(r.code, 0, r.stderr);
          const [f] = result(r.events).files;
          const a = (await arrived(tg.world)).at(-1)!;
          assert.equal(a.msg.id, f.sent.message_ids[0]);
          const doc = docOf(a);
          assert.equal(doc.mimeType, "audio/mpeg");
          assert.ok(
            doc.attrs.audio && Math.abs(doc.attrs.audio.duration - 2) <= 1,
            JSON.stringify(doc.attrs),
          );
          assert.equal(doc.attrs.video, undefined);
          assert.equal(doc.thumbs.length, 1, "the page's poster as the cover");
          assert.equal(a.msg.text, `${f.title}\n${f.source_url}`);
          assert.equal(
            await Deno.stat(f.path).then(() => true, () => false),
            false,
            "deleted after the send",
          );
          // the probe said how long it is: the bytes that arrived are the mp3 yt-dlp made
          assert.ok(f.probe && f.probe.codec === "mp3" && a.sha256.length === 64);
          const asked = site.requests.length;
          const again = await runCli(audioArgs, { env, ...T });
          assert.equal(again.code, 0, again.stderr);
          assert.equal(site.requests.length, asked, "a file sent before is not fetched again");
          assert.equal((await arrived(tg.world)).at(-1)!.msg.id, a.msg.id, "nothing new in the chat");
        },
      );
    } finally {
      await site.close();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "grab --to: an unknown chat (exit 2) or no login (exit 4) before yt-dlp runs; a file over the limit fails its link",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: "gen:chats=1,messages=3,files=0", basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_grab_to_" });
    // a bigger clip than the site's own (noise does not compress): over one 512 KB part
    const siteDir = join(dir, "site");
    await Deno.mkdir(siteDir);
    const ff = await new Deno.Command("ffmpeg", {
      args: [
        ..."-loglevel error -y -f lavfi -i nullsrc=s=320x240:r=10:d=2,geq=random(1)*255:128:128".split(" "),
        ..."-c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p".split(" "),
        join(siteDir, "big.mp4"),
      ],
    }).output();
    assert.ok(ff.success, new TextDecoder().decode(ff.stderr));
    const size = (await Deno.stat(join(siteDir, "big.mp4"))).size;
    assert.ok(size > 512 << 10, `the clip must be over 512 KB: ${size}`);
    const site = await startSite({ dir: siteDir });
    const env = { ...tg.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", TGPIPE_KV: join(dir, "p.kv") };
    try {
      const url = `${site.base}/big.mp4`;
      await t.step("an unknown chat: exit 2, one line, nothing fetched", async () => {
        const r = await runCli(["grab", url, "--out", join(dir, "out"), "--to", "@no_such_chat_here"], {
          env,
          ...T,
        });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, /no_such_chat_here/);
        assert.equal(site.requests.length, 0, "yt-dlp never ran");
      });
      await t.step("no login: exit 4 before yt-dlp runs (grab without --to needs none)", async () => {
        const noSession: Record<string, string> = { ...env };
        delete noSession.TGPIPE_SESSION;
        const r = await runCli(["grab", url, "--out", join(dir, "out"), "--to", "me"], {
          env: noSession,
          ...T,
        });
        assert.equal(r.code, 4, r.stderr);
        assert.equal(site.requests.length, 0, "yt-dlp never ran");
      });
      await t.step("--delete-after without --to: exit 2", async () => {
        const r = await runCli(["grab", url, "--out", join(dir, "out"), "--delete-after"], { env, ...T });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /--delete-after needs --to/);
      });
      await t.step(
        "one part allowed (512 KB): the link fails as GRAB_UPLOAD_FAILED, too_big; exit 3",
        async () => {
          tg.faults.uploadMaxParts = 1;
          const r = await runCli(["--json", "grab", url, "--out", join(dir, "out"), "--to", "me"], {
            env,
            ...T,
          });
          assert.equal(r.code, 3, r.stderr);
          const failed = r.events.find((e) => e.type === "item_failed");
          assert.ok(failed?.type === "item_failed", JSON.stringify(r.events.map((e) => e.type)));
          assert.equal(failed.error.code, "GRAB_UPLOAD_FAILED");
          assert.equal(failed.error.data?.reason, "too_big");
          assert.equal(failed.error.data?.upload_code, "TOO_BIG");
          assert.match(
            failed.error.message,
            /^Sending big \[big\]\.mp4 to me failed: [\d.]+ MiB is over the account's upload limit of 512(\.0)? KiB$/,
          );
          assert.match(String(failed.error.data?.hint), /--quality/);
          assert.equal(r.events.filter((e) => e.type === "retry").length, 0, "too big is not tried again");
          assert.equal((await arrived(tg.world)).length, 0);
          // the grabbed file stays for a later run (another account, or after the limit)
          const data = result(r.events);
          assert.equal(data.failed, 1);
          const kept = [...Deno.readDirSync(join(dir, "out"))].map((e) => e.name).filter((n) =>
            n.endsWith(".mp4")
          );
          assert.equal(kept.length, 1);
          // with the limit back, the rerun sends it without fetching it again
          tg.faults.uploadMaxParts = 4000;
          const asked = site.requests.length;
          const again = await runCli(["--json", "grab", url, "--out", join(dir, "out"), "--to", "me"], {
            env,
            ...T,
          });
          assert.equal(again.code, 0, again.stderr);
          assert.equal(site.requests.length, asked);
          const got = await arrived(tg.world);
          assert.equal(got.length, 1);
          assert.equal(got[0].sha256, sha256(await Deno.readFile(join(siteDir, "big.mp4"))));
        },
      );
    } finally {
      await site.close();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
