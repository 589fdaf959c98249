/**
 * grabLink with the real yt-dlp against the loopback site: every quality choice, every audio
 * format (checked with ffprobe), the <video> page, HLS, DASH and the direct file, --max-size,
 * and each failure class from real yt-dlp runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { GrabError } from "../../lib/grab/grab_error.ts";
import { type GrabbedFile, grabLink } from "../../lib/grab/grab_link.ts";
import { detectPlatform } from "../../lib/grab/platforms.ts";
import type { Selection } from "../../lib/grab/select_format.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import { CLIP_SECONDS } from "./_media.ts";
import { probe } from "./_probe.ts";
import { type Site, startSite } from "./_site.ts";

const ytDlp = await findTool("yt-dlp", { searchPath: Deno.env.get("PATH") ?? "", cacheDir: "/nonexistent" });

interface Grabbed {
  files: GrabbedFile[];
  events: EventBody[];
  out: string;
}

async function grab(
  site: Site,
  path: string,
  sel: Selection & { maxBytes?: number; ffmpegPath?: string } = {},
): Promise<Grabbed> {
  const out = await Deno.makeTempDir({ dir: WORK.get(site), prefix: "out_" });
  const url = `${site.base}/${path}`;
  const events: EventBody[] = [];
  const files = await grabLink(ytDlp, url, {
    platform: detectPlatform(url),
    out,
    tempDir: join(out, ".tmp"),
    retries: 1,
    ...sel,
  }, { item: path, emit: (e) => events.push(e) });
  return { files, events, out };
}

async function failure(
  site: Site,
  path: string,
  sel: Selection & { maxBytes?: number; ffmpegPath?: string } = {},
) {
  try {
    const g = await grab(site, path, sel);
    assert.fail(`grab of ${path} should fail, wrote ${g.files.map((f) => f.path)}`);
  } catch (err) {
    if (!(err instanceof GrabError)) throw err;
    return err;
  }
}

// Each test's own folder: every download of the test goes below it, removed whatever happened.
const WORK = new WeakMap<Site, string>();

function withSite(name: string, fn: (site: Site) => Promise<void>) {
  Deno.test(name, async () => {
    const site = await startSite();
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_grab_" });
    WORK.set(site, dir);
    try {
      await fn(site);
    } finally {
      await site.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

withSite(
  "HLS master: best, worst, <height>p and a format id each give that variant with the audio rendition",
  async (site) => {
    for (const [quality, height] of [["best", 360], ["worst", 144], ["240p", 240], ["200", 144]] as const) {
      const g = await grab(site, "hls/master.m3u8", { quality });
      assert.equal(g.files.length, 1);
      const p = await probe(g.files[0].path);
      assert.equal(p.height, height, `--quality ${quality}`);
      assert.equal(p.video, "h264");
      assert.equal(p.audio, "aac", `--quality ${quality}: the audio rendition is merged in`);
      assert.ok(Math.abs(p.duration - CLIP_SECONDS) < 0.5, `duration ${p.duration}`);
      assert.match(g.files[0].path, /\.mp4$/);
      assert.equal(g.files[0].bytes, (await Deno.stat(g.files[0].path)).size);
      // the streams were downloaded one after the other, then merged
      const stages = g.events.filter((e) => e.type === "item_stage").map((e) =>
        e.type === "item_stage" && e.stage
      );
      assert.deepEqual(
        stages.filter((s) => s !== "convert"),
        ["download", "download", "merge"],
        `${quality}: ${stages}`,
      );
      const last = g.events.filter((e) => e.type === "item_progress").at(-1);
      assert.ok(
        last?.type === "item_progress" && last.done_bytes > 0 && last.done_bytes === last.total_bytes,
      );
      await Deno.remove(g.out, { recursive: true });
    }
  },
);

withSite(
  "a page with <video> sources: best and <height>p pick the source, the poster becomes the thumbnail",
  async (site) => {
    for (const [quality, height] of [["best", 360], ["144p", 144], ["worst", 144]] as const) {
      const g = await grab(site, "page.html", { quality });
      const f = g.files[0];
      assert.equal((await probe(f.path)).height, height, quality);
      assert.equal(f.title, "Test clip with sources (1)");
      assert.equal(f.source_url, `${site.base}/page.html`);
      assert.ok(f.thumbnail, "the poster was written beside the video");
      assert.deepEqual(await Deno.readFile(f.thumbnail!), await Deno.readFile(join(site.dir, "poster.jpg")));
      // the chosen source is the site's file, byte for byte
      assert.deepEqual(await Deno.readFile(f.path), await Deno.readFile(join(site.dir, `v${height}.mp4`)));
      await Deno.remove(g.out, { recursive: true });
    }
  },
);

withSite("DASH manifest and a direct MP4 are read by yt-dlp's generic extractor", async (site) => {
  const dash = await grab(site, "dash/manifest.mpd");
  const p = await probe(dash.files[0].path);
  assert.deepEqual([p.height, p.video, p.audio], [240, "h264", "aac"]);
  const worst = await grab(site, "dash/manifest.mpd", { quality: "worst" });
  assert.equal((await probe(worst.files[0].path)).height, 144);
  const direct = await grab(site, "direct.mp4", { quality: "720p" });
  assert.deepEqual(
    await Deno.readFile(direct.files[0].path),
    await Deno.readFile(join(site.dir, "direct.mp4")),
  );
  for (const g of [dash, worst, direct]) await Deno.remove(g.out, { recursive: true });
});

withSite("--audio mp3, m4a and opus: only the sound, in that codec, as long as the clip", async (site) => {
  for (const [fmt, codec] of [["mp3", "mp3"], ["m4a", "aac"], ["opus", "opus"]] as const) {
    for (const path of ["hls/master.m3u8", "direct.mp4"]) {
      const g = await grab(site, path, { audio: fmt });
      const f = g.files[0];
      assert.equal(f.kind, "audio");
      assert.ok(f.path.endsWith(`.${fmt}`), f.path);
      const p = await probe(f.path);
      assert.equal(p.audio, codec, `${path} --audio ${fmt}`);
      assert.equal(p.video, undefined, `${path} --audio ${fmt}: no video stream`);
      assert.ok(Math.abs(p.duration - CLIP_SECONDS) < 0.5, `${path} --audio ${fmt}: ${p.duration}s`);
      await Deno.remove(g.out, { recursive: true });
    }
  }
});

withSite(
  "--max-size refuses a file whose size the server says, and a stream as its bytes pass the limit",
  async (site) => {
    const direct = await failure(site, "direct.mp4", { maxBytes: 10_000 });
    assert.equal(direct.code, "GRAB_TOO_BIG");
    assert.equal(direct.data.max_bytes, 10_000);
    assert.ok((direct.data.bytes as number) > 10_000);
    const hls = await failure(site, "hls/master.m3u8", { maxBytes: 20_000 });
    assert.equal(hls.code, "GRAB_TOO_BIG");
    // under the limit it goes through
    const ok = await grab(site, "direct.mp4", { maxBytes: 10_000_000 });
    assert.equal(ok.files.length, 1);
    await Deno.remove(ok.out, { recursive: true });
  },
);

withSite("a body dropped halfway once is continued with a Range request, byte-exact", async (site) => {
  const g = await grab(site, "f/drop2/direct.mp4");
  assert.deepEqual(await Deno.readFile(g.files[0].path), await Deno.readFile(join(site.dir, "direct.mp4")));
  const gets = site.requests.filter((r) => r.path === "/f/drop2/direct.mp4" && r.status === 206);
  assert.ok(gets.some((r) => /^bytes=[1-9]\d*-/.test(r.range ?? "")), JSON.stringify(site.requests));
  await Deno.remove(g.out, { recursive: true });
});

withSite("a slow body still arrives, with progress events on the way", async (site) => {
  const g = await grab(site, "f/slow/direct.mp4");
  assert.deepEqual(await Deno.readFile(g.files[0].path), await Deno.readFile(join(site.dir, "direct.mp4")));
  assert.ok(g.events.filter((e) => e.type === "item_progress").length >= 1);
  await Deno.remove(g.out, { recursive: true });
});

withSite("each failure class from a real yt-dlp run, with its stderr tail", async (site) => {
  const cases: Array<[string, Selection & { ffmpegPath?: string }, string, string | undefined]> = [
    ["f/404/direct.mp4", {}, "GRAB_UNAVAILABLE", "not_found"],
    ["f/403/direct.mp4", {}, "GRAB_UNAVAILABLE", "forbidden"],
    ["direct.html", {}, "GRAB_UNSUPPORTED", undefined],
    ["f/drop/direct.mp4", {}, "GRAB_NETWORK", undefined],
    ["hls/master.m3u8", { quality: "9999" }, "GRAB_NO_FORMAT", undefined],
    // merging the HLS variant with its audio needs ffmpeg
    ["hls/master.m3u8", { ffmpegPath: "/nonexistent/ffmpeg" }, "TOOL_MISSING", undefined],
  ];
  for (const [path, sel, code, reason] of cases) {
    const e = await failure(site, path, sel);
    assert.equal(e.code, code, `${path}: ${e.message}`);
    assert.equal(e.data.reason, reason, path);
    // yt-dlp's own words stay in the event (without ffmpeg it only warns, then names a file it never wrote)
    assert.match(String(e.data.stderr_tail), code === "TOOL_MISSING" ? /WARNING: .*ffmpeg/ : /ERROR:/, path);
  }
  // nothing listening: a network failure too
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const e = await grabLink(ytDlp, `http://127.0.0.1:${port}/x.mp4`, {
    platform: detectPlatform("http://127.0.0.1/"),
    out: "/nonexistent",
    tempDir: "/nonexistent/tmp",
    retries: 0,
  }, { item: "x", emit: () => {} }).then(() => undefined, (err) => err);
  assert.ok(e instanceof GrabError && e.code === "GRAB_NETWORK", String(e));
});
