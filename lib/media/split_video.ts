/**
 * Splits a video too big for the account into pieces that each play on their own: ffmpeg's
 * segment muxer cuts at keyframes with `-c copy` (no re-encoding), every piece is checked with
 * ffprobe (size under the limit, the same video/audio streams, a duration), a piece still too
 * big is cut again with shorter segments, and the durations must add up to the original's.
 */
import { TgpipeError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { videoCutPoints } from "./video_cut_points.ts";

/** What the split needs. */
export interface SplitVideoOptions {
  /** The largest piece the account may send, in bytes. */
  limitBytes: number;
  /** An empty folder for the pieces (under the job's cache); the caller removes it. */
  dir: string;
  ffmpeg: ResolvedTool;
  ffprobe: ResolvedTool;
  /** The original's name in Telegram; pieces are `<stem>.001.<ext>`. Default the path's last segment. */
  name?: string;
  /**
   * How the first cut is planned: "packets" (default) packs keyframe intervals by their packet
   * sizes; "bitrate" cuts by the average bitrate, leaving the too-big pieces to be cut again.
   */
  firstCut?: "packets" | "bitrate";
  signal?: AbortSignal;
}

/** One playable piece, in order. */
export interface VideoPiece {
  path: string;
  name: string;
  size: number;
  duration_s: number;
}

/** The pieces, and how many of them had to be cut again because they came out too big. */
export interface VideoSplit {
  pieces: VideoPiece[];
  recuts: number;
}

interface _Probe {
  duration: number;
  size: number;
  /** "video", "audio" per stream, sorted: what every piece must have too. */
  kinds: string;
}

// first segments aim under the limit by this much: bitrate varies, and a recut costs a pass
const MARGIN = 0.85;
// how many times a piece may be cut again before its keyframes are known to be too far apart
const MAX_DEPTH = 5;
// below this a segment time finds no keyframe that a longer one missed
const MIN_SECONDS = 0.04;

/**
 * Cuts `path` into pieces of at most `limitBytes` inside `opts.dir`. Throws TgpipeError
 * (VIDEO_SPLIT) when a keyframe interval alone is larger than the limit or the pieces do not
 * add up to the original, ToolFailedError when ffmpeg or ffprobe fail.
 */
export async function splitVideo(path: string, opts: SplitVideoOptions): Promise<VideoSplit> {
  if (!Number.isSafeInteger(opts.limitBytes) || opts.limitBytes <= 0) {
    throw new RangeError(`The split limit must be a positive number of bytes, got ${opts.limitBytes}`);
  }
  const name = opts.name ?? path.split(/[/\\]/).at(-1)!;
  const orig = await _probe(path, opts);
  if (!orig.kinds.includes("video") || !(orig.duration > 0)) {
    throw _fail(`File ${name} has no video stream with a duration to cut at keyframes`, name);
  }
  const ext = _ext(name);
  const stats = { recuts: 0 };
  const paths = await _cutUnder(path, orig, 0, { ...opts, ext, name, stats });
  const pieces: VideoPiece[] = [];
  const stem = ext ? name.slice(0, -ext.length - 1) : name;
  const digits = Math.max(3, String(paths.length).length);
  for (const [i, p] of paths.entries()) {
    const info = await _probe(p, opts);
    if (info.kinds !== orig.kinds || !(info.duration > 0)) {
      throw _fail(`Piece ${i + 1} of ${name} lost a stream or its duration (${info.kinds || "none"})`, name);
    }
    const pieceName = `${stem}.${String(i + 1).padStart(digits, "0")}${ext ? `.${ext}` : ""}`;
    const final = `${opts.dir}/${pieceName}`;
    await Deno.rename(p, final);
    pieces.push({ path: final, name: pieceName, size: info.size, duration_s: info.duration });
  }
  // the segments cut on the way (too big ones included) are no longer needed
  for (const e of Deno.readDirSync(opts.dir)) {
    if (e.isDirectory && e.name.startsWith("cut")) {
      await Deno.remove(`${opts.dir}/${e.name}`, { recursive: true });
    }
  }
  const total = pieces.reduce((s, p) => s + p.duration_s, 0);
  // a copy-cut keeps every frame: the pieces' durations add up to the original's, give or take a frame each
  if (Math.abs(total - orig.duration) > Math.max(1, orig.duration * 0.02)) {
    throw _fail(
      `The pieces of ${name} last ${total.toFixed(1)}s, the original ${orig.duration.toFixed(1)}s`,
      name,
    );
  }
  return { pieces, recuts: stats.recuts };
}

/** Cuts `input` into segments; any still over the limit is cut again, shorter. Paths in order. */
async function _cutUnder(
  input: string,
  info: _Probe,
  depth: number,
  o: SplitVideoOptions & { ext: string; name: string; stats: { recuts: number } },
): Promise<string[]> {
  if (depth > MAX_DEPTH) {
    throw _tooFar(o);
  }
  // the muxer cuts at the first keyframe past each multiple of `seconds`, so a piece runs up to a
  // keyframe interval long: when nothing was cut, ask for half as long until a keyframe falls inside
  let seconds = (info.duration * o.limitBytes * MARGIN) / Math.max(info.size, 1);
  // the first cut at the keyframes the packet sizes say fit; later ones (a rare piece whose
  // container came out bigger) by time
  const plan = depth === 0 && o.firstCut !== "bitrate"
    ? await videoCutPoints(input, o.limitBytes * MARGIN, o)
    : undefined;
  if (plan && plan.largestGop > o.limitBytes) {
    throw _tooFar(o);
  }
  let made: string[];
  for (;;) {
    const sub = await Deno.makeTempDir({ dir: o.dir, prefix: `cut${depth}_` });
    await _segment(input, plan ? { times: plan.times } : { seconds }, sub, o);
    made = [...Deno.readDirSync(sub)].map((e) => `${sub}/${e.name}`).sort();
    if (plan || made.length !== 1 || seconds < MIN_SECONDS) break;
    await Deno.remove(sub, { recursive: true });
    seconds /= 2;
  }
  if (made.length === 0) throw _fail(`ffmpeg made no pieces of ${o.name}`, o.name);
  if (made.length === 1 && info.size > o.limitBytes) {
    throw _tooFar(o);
  }
  const out: string[] = [];
  for (const p of made) {
    const pi = await _probe(p, o);
    if (pi.size <= o.limitBytes) {
      out.push(p);
      continue;
    }
    o.stats.recuts++;
    out.push(...await _cutUnder(p, pi, depth + 1, o));
  }
  return out;
}

async function _segment(
  input: string,
  at: { seconds: number } | { times: number[] },
  dir: string,
  o: SplitVideoOptions & { ext: string },
) {
  // each planned time is a keyframe's: a hair earlier, so rounding never pushes the cut to the next one
  const when = "times" in at
    ? ["-segment_times", at.times.map((t) => Math.max(0, t - 0.001).toFixed(3)).join(",") || "1e9"]
    : ["-segment_time", at.seconds.toFixed(3)];
  const args = [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-i",
    input,
    "-map",
    "0:v",
    "-map",
    "0:a?",
    "-c",
    "copy",
    // no version strings or dates in the pieces: the same input always gives the same bytes
    "-fflags",
    "+bitexact",
    "-map_metadata",
    "-1",
    "-f",
    "segment",
    ...when,
    "-reset_timestamps",
    "1",
  ];
  // MP4 pieces stream in Telegram only with the index first
  if (/^(mp4|m4v|mov)$/i.test(o.ext)) args.push("-segment_format_options", "movflags=+faststart");
  args.push(`${dir}/%05d.${o.ext || "mkv"}`);
  await runTool(o.ffmpeg, args, { signal: o.signal, stdout: "discard" });
}

async function _probe(path: string, o: { ffprobe: ResolvedTool; signal?: AbortSignal }): Promise<_Probe> {
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path];
  const { stdout } = await runTool(o.ffprobe, args, { signal: o.signal, maxStdoutBytes: 4 << 20 });
  const doc = JSON.parse(new TextDecoder().decode(stdout)) as {
    format?: { duration?: string; size?: string };
    streams?: Array<{ codec_type?: string; disposition?: { attached_pic?: number } }>;
  };
  const kinds = (doc.streams ?? [])
    .filter((s) =>
      (s.codec_type === "video" && s.disposition?.attached_pic !== 1) || s.codec_type === "audio"
    )
    .map((s) => s.codec_type!)
    .sort()
    .join(",");
  const size = Number(doc.format?.size ?? NaN);
  return {
    duration: Number(doc.format?.duration ?? NaN),
    size: Number.isFinite(size) ? size : (await Deno.stat(path)).size,
    kinds,
  };
}

function _ext(name: string): string {
  const m = name.match(/\.([A-Za-z0-9]{1,5})$/);
  return m ? m[1] : "";
}

function _tooFar(o: { name: string; limitBytes: number }): TgpipeError {
  return _fail(
    `Video ${o.name} has keyframes too far apart to cut into pieces of ${o.limitBytes} bytes without re-encoding`,
    o.name,
  );
}

function _fail(message: string, name: string): TgpipeError {
  return new TgpipeError(message, { code: "VIDEO_SPLIT", data: { name } });
}
