import { ToolMissingError } from "../core/errors.ts";
import { loadSharp } from "./load_sharp.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { writeViaPart } from "./write_part.ts";

/** Where the picture comes from: an image file, or one frame of a video at `atSeconds`. */
export type ImageSource = { image: string } | { video: string; atSeconds: number };

/** How to render one picture. */
export interface RenderImageOptions {
  format: "webp" | "jpeg";
  maxSize: number;
  quality: number;
  engine: "auto" | "sharp" | "ffmpeg";
  ffmpeg?: ResolvedTool;
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * Writes `out` (via `<out>.part`) as a WebP or JPEG whose longest side is at most `maxSize`.
 * sharp does images (with EXIF rotation); ffmpeg grabs video frames, and does everything when
 * sharp cannot load or `engine` is "ffmpeg". Returns the bytes written and the engine used.
 */
export async function renderImage(
  src: ImageSource,
  out: string,
  opts: RenderImageOptions,
): Promise<{ bytes: number; engine: "sharp" | "ffmpeg" }> {
  const sharp = opts.engine === "ffmpeg" ? undefined : await loadSharp();
  if (!sharp && opts.engine === "sharp") throw new Error("sharp cannot be loaded on this platform");
  if (sharp) {
    const input = "image" in src ? src.image : await _grabFrame(src, _need(opts.ffmpeg), opts);
    const bytes = await writeViaPart(out, async (part) => {
      let p = sharp(input, { failOn: "truncated" }).rotate()
        .resize({ width: opts.maxSize, height: opts.maxSize, fit: "inside", withoutEnlargement: true });
      p = opts.format === "webp"
        ? p.webp({ quality: opts.quality })
        : p.jpeg({ quality: opts.quality, mozjpeg: true });
      await p.toFile(part);
    });
    return { bytes, engine: "sharp" };
  }
  const ffmpeg = _need(opts.ffmpeg);
  const s = opts.maxSize;
  const scale = `scale='min(iw,${s})':'min(ih,${s})':force_original_aspect_ratio=decrease`;
  const codec = opts.format === "webp"
    ? ["-c:v", "libwebp", "-quality", String(opts.quality), "-f", "webp"]
    : ["-pix_fmt", "yuvj420p", "-c:v", "mjpeg", "-q:v", String(_jpegQ(opts.quality)), "-f", "image2"];
  const bytes = await writeViaPart(out, async (part) => {
    await runTool(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-y",
      "-v",
      "error",
      ..._input(src),
      "-frames:v",
      "1",
      "-vf",
      scale,
      ...codec,
      part,
    ], { signal: opts.signal, timeoutMs: opts.timeoutMs, stdout: "discard" });
  });
  return { bytes, engine: "ffmpeg" };
}

function _input(src: ImageSource): string[] {
  // One decoder thread: a single frame gains nothing from frame threads, and parallelism comes
  // from the media worker pool running several tasks at once.
  const one = ["-threads", "1"];
  return "image" in src
    ? [...one, "-i", src.image]
    : [...one, "-ss", src.atSeconds.toFixed(3), "-i", src.video];
}

async function _grabFrame(
  src: { video: string; atSeconds: number },
  ffmpeg: ResolvedTool,
  opts: RenderImageOptions,
): Promise<Uint8Array> {
  const { stdout } = await runTool(ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    ..._input(src),
    "-frames:v",
    "1",
    "-c:v",
    "png",
    "-f",
    "image2pipe",
    "-",
  ], { signal: opts.signal, timeoutMs: opts.timeoutMs, maxStdoutBytes: 64 * 1024 * 1024 });
  if (stdout.length === 0) throw new Error(`No decodable video frame in ${src.video}`);
  return stdout;
}

function _need(ffmpeg: ResolvedTool | undefined): ResolvedTool {
  if (!ffmpeg) throw new ToolMissingError("ffmpeg", "install ffmpeg or pass --ffmpeg; see `tgpipe doctor`");
  return ffmpeg;
}

// sharp's 1..100 quality onto mjpeg's 2 (best) .. 31 (worst) scale.
function _jpegQ(quality: number): number {
  return Math.max(2, Math.min(31, Math.round(31 - (quality / 100) * 29)));
}
