/**
 * `deno task bench grab [seconds]`: tgpipe's own cost over bare yt-dlp on the same HLS download.
 * A loopback site (tests/grab/_site.ts) serves an HLS master made by ffmpeg: three variants
 * (480p, 360p, 240p at a constant 2, 1 and 0.5 Mbit/s) and an audio rendition, `seconds` long
 * (default 90). Both sides take the best variant with the audio and merge them into one MP4: bare
 * `yt-dlp -f bv*+ba/b`, and `tgpipe grab` (progress templates read as events, the progress store,
 * the probe of the result). A third side runs yt-dlp alone with the argument list tgpipe builds
 * (templates, thumbnail, temp folder), which splits the overhead into yt-dlp's share and tgpipe's
 * process (Deno start-up, progress store, the probe's ffprobe). Rounds rotate the order; medians
 * of wall and CPU time (each run's whole process tree, from /proc/self/stat) and the overhead
 * ratios; goal <= 5%. Prints one JSON line.
 */
import { join } from "node:path";
import { findTool } from "../lib/tools/find_tool.ts";
import { runTool } from "../lib/tools/run_tool.ts";
import type { ResolvedTool } from "../lib/tools/tool_types.ts";
import { startSite } from "../tests/grab/_site.ts";
import { detectPlatform } from "../lib/grab/platforms.ts";
import { downloadArgs } from "../lib/grab/ytdlp_args.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SECONDS = Number(Deno.args[0] ?? 90);
const ROUNDS = 3;
const VARIANTS = [[854, 480, "2M"], [640, 360, "1M"], [426, 240, "500k"]] as const;

const searchPath = Deno.env.get("PATH") ?? "";
const load0 = (await Deno.readTextFile("/proc/loadavg").catch(() => "n/a")).trim();

interface Cost {
  wallMs: number;
  cpuMs: number;
}

const work = await Deno.makeTempDir({ prefix: "tgpipe-bench-grab-" });
const site = await startSite({ dir: join(work, "site") }).catch(() => undefined);
try {
  const ffmpeg = await findTool("ffmpeg", { searchPath, cacheDir: work });
  const ytDlp = await findTool("yt-dlp", { searchPath, cacheDir: work });
  const t0 = performance.now();
  await _makeHls(ffmpeg, join(work, "site"));
  console.log(
    `made ${SECONDS}s HLS (3 variants + audio) in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
  const url = `${site!.base}/master.m3u8`;
  const bare = (out: string) =>
    _run(ytDlp.path, [
      "--ignore-config",
      "-f",
      "bv*+ba/b",
      "--ffmpeg-location",
      ffmpeg.path,
      "-P",
      out,
      "-o",
      "%(title)s [%(id)s].%(ext)s",
      url,
    ]);
  const tgpipe = (out: string) =>
    _run(Deno.execPath(), [
      "run",
      "-A",
      "--unstable-kv",
      "--config",
      join(ROOT, "deno.json"),
      join(ROOT, "main.ts"),
      "--json",
      "--kv",
      join(out, "kv.db"),
      "grab",
      url,
      "--out",
      out,
      "--yt-dlp",
      ytDlp.path,
      "--ffmpeg",
      ffmpeg.path,
    ]);
  const args = (out: string) =>
    _run(ytDlp.path, [
      ...downloadArgs(url, {
        platform: detectPlatform(url),
        out,
        tempDir: join(out, "tmp"),
        ffmpegPath: ffmpeg.path,
      }),
    ]);
  const sides = { bare, args, tgpipe };
  // one of each first: Python's bytecode cache, Deno's module cache, the OS page cache
  for (const run of Object.values(sides)) await run(await Deno.makeTempDir({ dir: work }));
  const runs: Record<keyof typeof sides, Cost[]> = { bare: [], args: [], tgpipe: [] };
  const names = Object.keys(sides) as Array<keyof typeof sides>;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // rotate the order so machine load drifts hit every side alike
    const order = [...names.slice(round % 3), ...names.slice(0, round % 3)];
    for (const side of order) {
      const out = await Deno.makeTempDir({ dir: work });
      const cost = await sides[side](out);
      const mp4 = [...Deno.readDirSync(out)].find((e) => e.name.endsWith(".mp4"));
      if (!mp4) throw new Error(`${side} wrote no MP4 into ${out}`);
      bytes = Deno.statSync(join(out, mp4.name)).size;
      runs[side].push(cost);
      console.log(`round ${round + 1} ${side.padEnd(6)} wall ${cost.wallMs} ms, cpu ${cost.cpuMs} ms`);
      await Deno.remove(out, { recursive: true });
    }
  }
  const med = (side: keyof typeof sides, k: keyof Cost) => _median(runs[side].map((c) => c[k]));
  const wall = med("tgpipe", "wallMs") / med("bare", "wallMs") - 1;
  const cpu = med("tgpipe", "cpuMs") / med("bare", "cpuMs") - 1;
  const argsCpu = med("args", "cpuMs") / med("bare", "cpuMs") - 1;
  const load1 = (await Deno.readTextFile("/proc/loadavg").catch(() => "n/a")).trim();
  console.log(
    `HLS ${SECONDS}s, ${(bytes / 1e6).toFixed(1)} MB merged: bare yt-dlp wall ${med("bare", "wallMs")} ms ` +
      `cpu ${med("bare", "cpuMs")} ms; tgpipe grab wall ${med("tgpipe", "wallMs")} ms cpu ${
        med("tgpipe", "cpuMs")
      } ms`,
  );
  console.log(
    `yt-dlp with tgpipe's arguments: wall ${med("args", "wallMs")} ms cpu ${med("args", "cpuMs")} ms ` +
      `(cpu ${(argsCpu * 100).toFixed(1)}% over bare)`,
  );
  console.log(`overhead: wall ${(wall * 100).toFixed(1)}%, cpu ${(cpu * 100).toFixed(1)}% (goal <= 5%)`);
  console.log(
    `tgpipe's fixed cost: ${med("tgpipe", "cpuMs") - med("args", "cpuMs")} ms cpu, ` +
      `${med("tgpipe", "wallMs") - med("args", "wallMs")} ms wall (Deno start-up, store, probe)`,
  );
  console.log(`load average before: ${load0}; after: ${load1}`);
  console.log(JSON.stringify({
    bench: "grab",
    seconds: SECONDS,
    bytes,
    rounds: ROUNDS,
    bare_wall_ms: med("bare", "wallMs"),
    bare_cpu_ms: med("bare", "cpuMs"),
    tgpipe_wall_ms: med("tgpipe", "wallMs"),
    tgpipe_cpu_ms: med("tgpipe", "cpuMs"),
    args_wall_ms: med("args", "wallMs"),
    args_cpu_ms: med("args", "cpuMs"),
    overhead_args_cpu: Math.round(argsCpu * 1000) / 1000,
    overhead_wall: Math.round(wall * 1000) / 1000,
    overhead_cpu: Math.round(cpu * 1000) / 1000,
    load_before: load0,
    load_after: load1,
  }));
} finally {
  await site?.close();
  await Deno.remove(work, { recursive: true });
}

/** Runs one side to the end with its output discarded; wall and CPU of its whole process tree. */
async function _run(cmd: string, args: string[]): Promise<Cost> {
  const c0 = await _childCpu();
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped", stdin: "null" }).output();
  const wallMs = Math.round(performance.now() - t0);
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  return { wallMs, cpuMs: (await _childCpu()) - c0 };
}

/** CPU milliseconds of this process's waited-for children (and theirs), from /proc/self/stat. */
async function _childCpu(): Promise<number> {
  const stat = await Deno.readTextFile("/proc/self/stat");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return (f[13] + f[14]) * 10; // cutime + cstime, USER_HZ 100
}

function _median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The HLS master: constant-bitrate variants (x264 filler) so sizes are like a real stream's. */
async function _makeHls(ffmpeg: ResolvedTool, dir: string): Promise<void> {
  const run = (args: string[]) =>
    runTool(ffmpeg, ["-hide_banner", "-nostdin", "-y", "-v", "error", ...args], { stdout: "discard" });
  const hls = (name: string) => [
    "-f",
    "hls",
    "-hls_time",
    "4",
    "-hls_playlist_type",
    "vod",
    "-hls_segment_filename",
    join(dir, name, "seg%d.ts"),
    join(dir, name, "index.m3u8"),
  ];
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3"];
  lines.push(
    `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"`,
  );
  await Deno.mkdir(join(dir, "audio"), { recursive: true });
  await run([
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:duration=${SECONDS}`,
    "-c:a",
    "aac",
    "-b:a",
    "128k",
    ...hls("audio"),
  ]);
  for (const [w, h, rate] of VARIANTS) {
    await Deno.mkdir(join(dir, `v${h}`), { recursive: true });
    await run([
      "-f",
      "lavfi",
      "-i",
      `testsrc2=size=${w}x${h}:rate=25:duration=${SECONDS}`,
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "100",
      "-b:v",
      rate,
      "-minrate",
      rate,
      "-maxrate",
      rate,
      "-bufsize",
      rate,
      "-x264-params",
      "nal-hrd=cbr",
      "-an",
      ...hls(`v${h}`),
    ]);
    const bw = Math.round(parseFloat(rate) * (rate.endsWith("M") ? 1e6 : 1e3));
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${bw},RESOLUTION=${w}x${h},FRAME-RATE=25,CODECS="avc1.42c01e,mp4a.40.2",AUDIO="aud"`,
      `v${h}/index.m3u8`,
    );
  }
  await Deno.writeTextFile(join(dir, "master.m3u8"), lines.join("\n") + "\n");
}
