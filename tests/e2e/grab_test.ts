/**
 * `tgpipe grab` through main.ts with the real yt-dlp against the loopback site: the result
 * (files with title, source URL, thumbnail, probe), per-link failures with exit 3, resume,
 * --max-size, --info's table and JSON, bad input, and a stop in the middle that the rerun continues.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_helpers/run_cli.ts";
import { readEventLines } from "../_helpers/event_lines.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { type Site, startSite } from "../grab/_site.ts";
import { spawnTgpipe } from "./_export_helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

async function withSite(fn: (site: Site, dir: string) => Promise<void>): Promise<void> {
  const site = await startSite();
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_grab_e2e_" });
  try {
    await fn(site, dir);
  } finally {
    await site.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function result(events: TgpipeEvent[], kind: string): Any {
  const r = events.find((e) => e.type === "result" && e.kind === kind);
  assert.ok(r && r.type === "result", `no ${kind} result in ${JSON.stringify(events.map((e) => e.type))}`);
  return r.data;
}

const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };

Deno.test("grab: files with title, source URL, thumbnail and probe; a failing link is exit 3; the rerun skips what is done", async () => {
  await withSite(async (site, dir) => {
    const kv = join(dir, "kv.db");
    const out = join(dir, "out");
    const links = [`${site.base}/hls/master.m3u8`, `${site.base}/page.html`, `${site.base}/f/404/gone.mp4`];
    const args = ["--json", "--kv", kv, "grab", ...links, "--out", out, "--quality", "240p"];
    const first = await runCli(args, { env, timeoutMs: 120_000 });
    assert.equal(first.code, 3, first.stderr);
    const data = result(first.events, "grab");
    assert.deepEqual([data.items, data.done, data.failed, data.exit_code], [3, 2, 1, 3]);
    const page = data.files.find((f: Any) => f.url === links[1]);
    assert.equal(page.title, "Test clip with sources (1)");
    assert.equal(page.source_url, links[1]);
    assert.equal(page.platform, "generic");
    assert.ok(page.thumbnail && (await Deno.stat(page.thumbnail)).isFile, "the poster, beside the video");
    assert.equal(page.probe.height, 240);
    assert.ok(Math.abs(page.probe.duration - 2) < 0.5, "probed like export's media");
    const hls = data.files.find((f: Any) => f.url === links[0]);
    assert.equal(hls.probe.height, 240);
    assert.equal(hls.probe.audio_codec, "aac");
    for (const f of data.files) assert.equal((await Deno.stat(f.path)).size, f.bytes);
    const failed = first.events.find((e) => e.type === "item_failed");
    assert.ok(failed?.type === "item_failed");
    assert.equal(failed.item, links[2]);
    assert.equal(failed.error.code, "GRAB_UNAVAILABLE");
    assert.match(String(failed.error.data?.stderr_tail), /HTTP Error 404/);
    // every stage of the HLS link was reported, in order
    const stages = first.events.filter((e) => e.type === "item_stage" && e.item === links[0])
      .map((e) => e.type === "item_stage" && e.stage);
    assert.deepEqual(stages.filter((s) => s !== "convert"), [
      "info",
      "download",
      "download",
      "merge",
      "post",
    ]);
    // nothing but the finished files (and tgpipe's folder) in --out
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      ".tgpipe",
      "Test clip with sources (1) [page-1].jpg",
      "Test clip with sources (1) [page-1].mp4",
      "master [master].mp4",
    ]);
    assert.deepEqual([...Deno.readDirSync(join(out, ".tgpipe/grab-tmp"))], [], "no temp files left");

    const asked = site.requests.length;
    const again = await runCli(args, { env, timeoutMs: 120_000 });
    assert.equal(again.code, 3, again.stderr);
    const skipped = again.events.filter((e) => e.type === "item_done" && e.skipped).map((e) =>
      e.type === "item_done" && e.item
    );
    assert.deepEqual(skipped.sort(), [links[0], links[1]].sort());
    const newPaths = site.requests.slice(asked).map((r) => r.path);
    assert.deepEqual(newPaths, ["/f/404/gone.mp4"], "only the failed link was asked for again");
    assert.equal(
      result(again.events, "grab").files.length,
      2,
      "the result still lists the files already there",
    );
  });
});

Deno.test("grab --info: a table to choose from, the same as a grab_info result with --json, exit 3 for a bad link", async () => {
  await withSite(async (site) => {
    const hls = `${site.base}/hls/master.m3u8`;
    const human = await runCli(["grab", hls, "--info"], { env, timeoutMs: 60_000 });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^ {2}ID +EXT +RESOLUTION +FPS +VIDEO +AUDIO +SIZE +NOTE$/m);
    for (
      const row of [
        /^ {2}200 +mp4 +192x144 +25 +avc1/m,
        /^ {2}400 +mp4 +320x240/m,
        /^ {2}600 +mp4 +480x360/m,
        /^ {2}aud-English +mp4 +audio only/m,
      ]
    ) {
      assert.match(human.stdout, row);
    }
    assert.match(human.stdout, /--quality 360p\|240p\|144p/);
    const json = await runCli([
      "--json",
      "grab",
      hls,
      `${site.base}/dash/manifest.mpd`,
      "--info",
      "--quality",
      "worst",
    ], { env, timeoutMs: 60_000 });
    assert.equal(json.code, 0, json.stderr);
    const data = result(json.events, "grab_info");
    assert.deepEqual(data.infos.map((i: Any) => i.url), [hls, `${site.base}/dash/manifest.mpd`]);
    const q = data.infos[0].qualities;
    assert.deepEqual(q.map((x: Any) => [x.format_id, x.height ?? null, x.audio_only]), [
      ["aud-English", null, true],
      ["200", 144, false],
      ["400", 240, false],
      ["600", 360, false],
    ]);
    assert.deepEqual(data.infos[0].selected, ["200", "aud-English"]);
    assert.ok(data.infos[1].qualities.some((x: Any) => x.audio_only && x.acodec === "mp4a.40.2"));
    assert.equal(json.events.filter((e) => e.type === "item_done").length, 0, "nothing was downloaded");
    const bad = await runCli(["--json", "grab", hls, `${site.base}/direct.html`, "--info"], {
      env,
      timeoutMs: 60_000,
    });
    assert.equal(bad.code, 3);
    const failed = result(bad.events, "grab_info").failed;
    assert.deepEqual(failed.map((f: Any) => f.error.code), ["GRAB_UNSUPPORTED"]);
  });
});

Deno.test("grab --max-size fails the link that is bigger (exit 3) and leaves no file behind", async () => {
  await withSite(async (site, dir) => {
    const out = join(dir, "out");
    const r = await runCli([
      "--json",
      "--kv",
      join(dir, "kv.db"),
      "grab",
      `${site.base}/direct.mp4`,
      "--out",
      out,
      "--max-size",
      "10KB",
    ], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 3, r.stderr);
    const failed = r.events.find((e) => e.type === "item_failed");
    assert.ok(failed?.type === "item_failed");
    assert.equal(failed.error.code, "GRAB_TOO_BIG");
    assert.equal(failed.error.data?.max_bytes, 10 * 1024);
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), [".tgpipe"]);
    assert.deepEqual([...Deno.readDirSync(join(out, ".tgpipe/grab-tmp"))], []);
  });
});

Deno.test("grab refuses bad input before any work with exit 2, and a missing yt-dlp with exit 1", async () => {
  await withSite(async (site, dir) => {
    const out = join(dir, "out");
    const url = `${site.base}/direct.mp4`;
    const cases: Array<[string[], number, RegExp]> = [
      [["grab", "youtube.com/watch?v=x", "--out", out], 2, /Not a link: youtube\.com/],
      [["grab", url, "--quality", "18/22", "--out", out], 2, /--quality must be/],
      [
        ["grab", url, "--template", "/etc/%(id)s.%(ext)s", "--out", out],
        2,
        /--template must stay inside --out/,
      ],
      [["grab", url, "--template", "%(title)s", "--out", out], 2, /--template must end in \.%\(ext\)s/],
      [["grab", url, "--max-size", "lots", "--out", out], 2, /--max-size must be a size/],
      [
        ["grab", url, "--audio", "wav", "--out", out],
        2,
        /argument 'wav' is invalid\. expected mp3, m4a, opus$/m,
      ],
      [["grab", url, "--cookies", join(dir, "nope.txt"), "--out", out], 2, /Cannot read --cookies/],
      [["grab", "--out", out], 2, /No links to grab/],
      [
        ["grab", url, "--yt-dlp", join(dir, "no-yt-dlp"), "--out", out],
        1,
        /yt-dlp not found: the configured yt-dlp/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(["--kv", join(dir, "kv.db"), ...args], { env, timeoutMs: 60_000 });
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
    }
    assert.equal(site.requests.length, 0, "nothing was fetched");
  });
});

Deno.test("grab stopped by Ctrl-C mid-download exits 75; the rerun continues the .part with a Range request", async () => {
  await withSite(async (site, dir) => {
    assert.ok(
      (await Deno.stat(join(site.dir, "v360.mp4"))).size >= 2 * (32 << 10),
      "half the file is over 32 KB",
    );
    // the second response (the first is yt-dlp's look at the link) sends half, then waits
    const url = `${site.base}/f/stall2/v360.mp4`;
    const args = ["--json", "--kv", join(dir, "kv.db"), "grab", url, "--out", join(dir, "out")];
    const child = spawnTgpipe(args, { ...env, HOME: dir, XDG_CACHE_HOME: join(dir, "cache") });
    const events: TgpipeEvent[] = [];
    let signalled = false;
    const stderr = new Response(child.stderr).text();
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 120_000);
    try {
      await readEventLines(child.stdout, (ev) => {
        events.push(ev);
        // yt-dlp has written 24 KB (its file buffer holds 8 KB at most): stop now
        if (!signalled && ev.type === "item_progress" && ev.done_bytes >= 24 << 10) {
          signalled = true;
          child.kill("SIGINT");
        }
      });
      const { code } = await child.status;
      assert.ok(signalled, `never saw progress: ${events.map((e) => e.type)}\n${await stderr}`);
      assert.equal(code, 75, await stderr);
    } finally {
      clearTimeout(watchdog);
    }
    const parts = [...Deno.readDirSync(join(dir, "out/.tgpipe/grab-tmp"))];
    assert.equal(parts.length, 1, "the unfinished download waits in its temp folder");
    const firstRequests = site.requests.length;
    const again = await runCli(args, { env, timeoutMs: 120_000 });
    assert.equal(again.code, 0, again.stderr);
    const file = result(again.events, "grab").files[0];
    assert.deepEqual(await Deno.readFile(file.path), await Deno.readFile(join(site.dir, "v360.mp4")));
    const resumed = site.requests.slice(firstRequests).filter((r) => r.status === 206);
    assert.ok(resumed.some((r) => /^bytes=[1-9]\d*-/.test(r.range ?? "")), JSON.stringify(site.requests));
  });
});

Deno.test("grab --from-file - with --template, --cookies (the user's file untouched) and --audio's default mp3", async () => {
  await withSite(async (site, dir) => {
    const out = join(dir, "out");
    const cookies = join(dir, "cookies.txt");
    // Netscape format: domain, subdomains, path, secure, expiry, name, value
    const jar =
      "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tsession\tgrab-test-cookie\n";
    await Deno.writeTextFile(cookies, jar);
    const links = `# two links, one a comment\n${site.base}/direct.mp4\n\n# ${site.base}/page.html\n`;
    const r = await runCli(
      [
        "--json",
        "--kv",
        join(dir, "kv.db"),
        "grab",
        "--from-file",
        "-",
        "--out",
        out,
        "--template",
        "%(id)s/clip.%(ext)s",
        "--cookies",
        cookies,
        "--audio",
      ],
      // the cookie is a secret: the secrets audit checks it never shows in any output
      { env, stdin: links, timeoutMs: 120_000, secrets: ["grab-test-cookie"] },
    );
    assert.equal(r.code, 0, r.stderr);
    const files = result(r.events, "grab").files;
    assert.deepEqual(files.map((f: Any) => f.path), [join(out, "direct/clip.mp3")]);
    assert.equal(files[0].kind, "audio");
    assert.equal(files[0].probe.codec, "mp3");
    assert.ok(site.requests.some((q) => q.path === "/direct.mp4" && q.cookie === "session=grab-test-cookie"));
    assert.ok(!site.requests.some((q) => q.path === "/page.html"), "the commented link was not read");
    assert.equal(
      await Deno.readTextFile(cookies),
      jar,
      "yt-dlp wrote its jar back to a copy, not to the user's file",
    );
    assert.deepEqual([...Deno.readDirSync(join(out, ".tgpipe/grab-tmp"))], [], "the copy is gone");
  });
});
