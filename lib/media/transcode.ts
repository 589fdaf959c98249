import { ToolMissingError } from "../core/errors.ts";
import { derivedPath } from "./derived_path.ts";
import { detectEncoders } from "./detect_encoders.ts";
import { failureResult } from "./failure_result.ts";
import { type EncoderChoice, pickEncoder } from "./pick_encoder.ts";
import type {
  MediaItem,
  MediaOptions,
  PostProcessor,
  ProcessorContext,
  ProcessorResult,
  TranscodeOptions,
} from "./post_processor.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { writeViaPart } from "./write_part.ts";

const VIDEO_KINDS = new Set(["video", "round", "animation"]);
const AUDIO_KINDS = new Set(["voice", "audio"]);

/**
 * transcode: `--transcode h264|hevc|copy` with `--max-height` and `--crf` for videos (hardware
 * encoder when present, software fallback), and audio to AAC or Opus. Writes
 * `<stem>.<codec>.mp4` (video) or `<stem>.m4a` / `<stem>.opus` (audio).
 */
export const transcodeProcessor: PostProcessor = {
  name: "transcode",
  stage: "transcode",
  accepts(item: MediaItem, options: MediaOptions): boolean {
    const t = options.transcode;
    if (!t) return false;
    return VIDEO_KINDS.has(item.kind) || (AUDIO_KINDS.has(item.kind) && t.audio !== undefined);
  },
  async run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult> {
    const t = ctx.options.transcode!;
    try {
      const ffmpeg = ctx.tools.ffmpeg;
      if (!ffmpeg) {
        throw new ToolMissingError("ffmpeg", "install ffmpeg or pass --ffmpeg; see `tgpipe doctor`");
      }
      const probe = ctx.previous.probe?.metadata;
      const hasVideo = VIDEO_KINDS.has(item.kind) && probe?.has_video !== false;
      return hasVideo ? await _video(item, ffmpeg, t, ctx) : await _audio(item, ffmpeg, t, ctx);
    } catch (err) {
      return failureResult("transcode", err, ctx.signal);
    }
  },
};

async function _video(
  item: MediaItem,
  ffmpeg: ResolvedTool,
  t: TranscodeOptions,
  ctx: ProcessorContext,
): Promise<ProcessorResult> {
  const out = derivedPath(item.path, `.${t.codec}.mp4`, ctx.options);
  const audio = t.audio === "opus" ? ["-c:a", "libopus", "-b:a", "96k"] : ["-c:a", "aac", "-b:a", "128k"];
  if (t.codec === "copy") {
    const bytes = await _ffmpeg(ffmpeg, ["-i", item.path, "-map", "0", "-c", "copy"], out, ctx);
    return _ok(out, bytes, { encoder: "copy", hardware: "none" });
  }
  const support = await detectEncoders(ffmpeg, { signal: ctx.signal });
  const choice = pickEncoder(t.codec, support.encoders, { ...t, devices: support.devices });
  const build = (c: EncoderChoice) => [
    ...c.inputArgs,
    "-i",
    item.path,
    "-map",
    "0:v:0",
    "-map",
    "0:a:0?",
    ...(c.filter ? ["-vf", c.filter] : []),
    ...c.codecArgs,
    ...audio,
    "-movflags",
    "+faststart",
  ];
  try {
    const bytes = await _ffmpeg(ffmpeg, build(choice), out, ctx);
    return _ok(out, bytes, { encoder: choice.encoder, hardware: choice.hardware });
  } catch (err) {
    if (choice.hardware === "none" || ctx.signal.aborted) throw err;
    // Drivers lie about what they can do; a failed GPU encode is retried on the CPU.
    ctx.emit({ type: "log", level: "info", message: `${choice.encoder} failed, using software: ${err}` });
    const sw = pickEncoder(t.codec, support.encoders, { ...t, devices: {}, hardware: "none" });
    const bytes = await _ffmpeg(ffmpeg, build(sw), out, ctx);
    return _ok(out, bytes, { encoder: sw.encoder, hardware: "none", hardware_failed: choice.encoder });
  }
}

async function _audio(
  item: MediaItem,
  ffmpeg: ResolvedTool,
  t: TranscodeOptions,
  ctx: ProcessorContext,
): Promise<ProcessorResult> {
  const opus = t.audio === "opus";
  const out = derivedPath(item.path, opus ? ".opus" : ".m4a", ctx.options);
  const codec = opus
    ? ["-c:a", "libopus", "-b:a", "64k", "-f", "ogg"]
    : ["-c:a", "aac", "-b:a", "128k", "-f", "ipod"];
  const bytes = await _ffmpeg(ffmpeg, ["-i", item.path, "-vn", ...codec], out, ctx);
  return _ok(out, bytes, { encoder: opus ? "libopus" : "aac", hardware: "none" });
}

function _ffmpeg(ffmpeg: ResolvedTool, args: string[], out: string, ctx: ProcessorContext): Promise<number> {
  return writeViaPart(out, async (part) => {
    // The .part name hides the container from ffmpeg, so the format is always given with -f.
    const fmt = args.includes("-f") ? [] : ["-f", "mp4"];
    await runTool(ffmpeg, ["-hide_banner", "-nostdin", "-y", "-v", "error", ...args, ...fmt, part], {
      signal: ctx.signal,
      timeoutMs: ctx.options.timeoutMs,
      stdout: "discard",
    });
  });
}

function _ok(path: string, bytes: number, metadata: Record<string, unknown>): ProcessorResult {
  return { processor: "transcode", status: "ok", files: [{ role: "transcoded", path, bytes }], metadata };
}
