/**
 * Real media for the grab test site, made by ffmpeg once per test process (a temp dir removed
 * when the process ends): a direct MP4, MP4s of several heights for a <video> page, an HLS
 * master with three variants and an audio-only rendition, and a DASH manifest.
 */
import { join } from "node:path";
import { findTool } from "../../lib/tools/find_tool.ts";
import { runTool } from "../../lib/tools/run_tool.ts";

/** Heights of the <video> sources and the HLS variants. */
export const HEIGHTS = [144, 240, 360] as const;
/** Seconds of every clip. */
export const CLIP_SECONDS = 2;

let made: Promise<string> | undefined;

/** The folder with every file the site serves; made on first use. */
export function siteMedia(): Promise<string> {
  made ??= _make();
  return made;
}

async function _make(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_grab_site_" });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  });
  const ffmpeg = await findTool("ffmpeg", {
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: "/nonexistent",
  });
  const run = (args: string[]) =>
    runTool(ffmpeg, ["-hide_banner", "-nostdin", "-y", "-v", "error", ...args], { stdout: "discard" });
  const video = (
    w: number,
    h: number,
  ) => ["-f", "lavfi", "-i", `testsrc=size=${w}x${h}:rate=25:duration=${CLIP_SECONDS}`];
  const tone = ["-f", "lavfi", "-i", `sine=frequency=440:duration=${CLIP_SECONDS}`];
  const h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25"];
  const aac = ["-c:a", "aac", "-b:a", "64k"];
  // a clip with sound that plays while it downloads
  const mp4 = (w: number, h: number, name: string) =>
    run([...video(w, h), ...tone, ...h264, ...aac, "-shortest", "-movflags", "+faststart", join(dir, name)]);
  // a VOD rendition in hls/<name>/ of 1 s segments
  const hls = (name: string) => [
    ...["-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod"],
    ...["-hls_segment_filename", join(dir, `hls/${name}/seg%d.ts`), join(dir, `hls/${name}/index.m3u8`)],
  ];
  await mp4(320, 240, "direct.mp4");
  await Deno.writeTextFile(
    join(dir, "direct.html"),
    _page("A direct file", [`<a href="direct.mp4">video</a>`]),
  );
  for (const h of HEIGHTS) {
    const w = Math.round(h * 4 / 3 / 2) * 2;
    await mp4(w, h, `v${h}.mp4`);
    await Deno.mkdir(join(dir, `hls/v${h}`), { recursive: true });
    await run([
      ...video(w, h),
      ...h264,
      "-an",
      ...hls(`v${h}`),
    ]);
  }
  await Deno.mkdir(join(dir, "hls/audio"), { recursive: true });
  await run([
    ...tone,
    ...aac,
    ...hls("audio"),
  ]);
  await Deno.writeTextFile(join(dir, "hls/master.m3u8"), _master());
  await run([
    "-ss",
    "1",
    "-i",
    join(dir, "direct.mp4"),
    "-frames:v",
    "1",
    "-q:v",
    "4",
    join(dir, "poster.jpg"),
  ]);
  const sources = [...HEIGHTS].reverse().map((h) =>
    `<source src="v${h}.mp4" type="video/mp4" label="${h}p" res="${h}">`
  );
  await Deno.writeTextFile(
    join(dir, "page.html"),
    _page("Test clip with sources", [`<video controls poster="poster.jpg">${sources.join("")}</video>`]),
  );
  await Deno.mkdir(join(dir, "dash"), { recursive: true });
  await run([
    ...video(320, 240),
    ...tone,
    "-map",
    "0:v",
    "-map",
    "0:v",
    "-map",
    "1:a",
    ...h264,
    "-s:v:0",
    "192x144",
    "-s:v:1",
    "320x240",
    ...aac,
    "-f",
    "dash",
    "-seg_duration",
    "1",
    "-use_template",
    "1",
    "-use_timeline",
    "1",
    "-adaptation_sets",
    "id=0,streams=v id=1,streams=a",
    join(dir, "dash/manifest.mpd"),
  ]);
  return dir;
}

function _page(title: string, body: string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
    `<meta property="og:title" content="${title}"></head><body>${body.join("\n")}</body></html>\n`;
}

function _master(): string {
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"`,
  ];
  for (const [i, h] of HEIGHTS.entries()) {
    const w = Math.round(h * 4 / 3 / 2) * 2;
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${(i + 1) * 200_000},RESOLUTION=${w}x${h},FRAME-RATE=25,` +
        `CODECS="avc1.42c01e,mp4a.40.2",AUDIO="aud"`,
      `v${h}/index.m3u8`,
    );
  }
  return lines.join("\n") + "\n";
}
