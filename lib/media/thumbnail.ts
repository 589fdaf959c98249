import { TgpipeError } from "../core/errors.ts";
import { derivedPath } from "./derived_path.ts";
import { failureResult } from "./failure_result.ts";
import type { MediaItem, PostProcessor, ProcessorContext, ProcessorResult } from "./post_processor.ts";
import { readTgs } from "./read_tgs.ts";
import { type ImageSource, renderImage } from "./render_image.ts";

const VIDEO_KINDS = new Set(["video", "round", "animation"]);

/**
 * thumbnail: a small WebP/JPEG for photos and videos, and a preview for stickers (webp, webm;
 * .tgs Lottie stickers are described and skipped with a warning). Writes `<stem>.thumb.<ext>`.
 */
export const thumbnailProcessor: PostProcessor = {
  name: "thumbnail",
  stage: "thumbnail",
  accepts(item: MediaItem): boolean {
    if (item.kind === "photo" || item.kind === "sticker" || VIDEO_KINDS.has(item.kind)) return true;
    return item.kind === "document" && /^(image|video)\//.test(item.mime ?? "");
  },
  async run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult> {
    const o = ctx.options.image ?? {};
    const format = o.format ?? "webp";
    const role = item.kind === "sticker" ? "preview" : "thumbnail";
    try {
      if (item.path.toLowerCase().endsWith(".tgs") || item.mime === "application/x-tgsticker") {
        return await _tgs(item);
      }
      const out = derivedPath(item.path, `.thumb.${format === "webp" ? "webp" : "jpg"}`, ctx.options);
      const { bytes, engine } = await renderImage(_source(item, ctx), out, {
        format,
        maxSize: o.thumbSize ?? 320,
        quality: o.quality ?? 80,
        engine: o.engine ?? "auto",
        ffmpeg: ctx.tools.ffmpeg,
        signal: ctx.signal,
        timeoutMs: ctx.options.timeoutMs,
      });
      return {
        processor: "thumbnail",
        status: "ok",
        files: [{ role, path: out, bytes }],
        metadata: { engine },
      };
    } catch (err) {
      const e = err instanceof Error && !(err instanceof TgpipeError) && !ctx.signal.aborted
        ? new TgpipeError(`Cannot make a ${role} of ${item.path}: ${err.message}`, { code: "CORRUPT_MEDIA" })
        : err;
      return failureResult("thumbnail", e, ctx.signal);
    }
  },
};

function _source(item: MediaItem, ctx: ProcessorContext): ImageSource {
  const isVideo = VIDEO_KINDS.has(item.kind) || item.mime?.startsWith("video/") ||
    item.path.toLowerCase().endsWith(".webm");
  if (!isVideo) return { image: item.path };
  // A frame a little in, not the first: first frames are often black. Short clips use their middle.
  const duration = Number(ctx.previous.probe?.metadata.duration_s ?? NaN);
  const at = Number.isFinite(duration) ? Math.min(1, duration / 2) : 0;
  return { video: item.path, atSeconds: at };
}

async function _tgs(item: MediaItem): Promise<ProcessorResult> {
  const info = await readTgs(item.path);
  return {
    processor: "thumbnail",
    status: "skipped",
    files: [],
    metadata: { lottie: info },
    warning: {
      code: "TGS_UNSUPPORTED",
      message: `thumbnail: animated sticker ${item.path} is Lottie (.tgs); no preview rendered`,
    },
  };
}
