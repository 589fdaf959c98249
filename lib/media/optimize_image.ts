import { TgpipeError } from "../core/errors.ts";
import { derivedPath } from "./derived_path.ts";
import { failureResult } from "./failure_result.ts";
import type {
  MediaItem,
  MediaOptions,
  PostProcessor,
  ProcessorContext,
  ProcessorResult,
} from "./post_processor.ts";
import { renderImage } from "./render_image.ts";

/**
 * optimize: with `image.optimize`, writes a re-encoded photo (`<stem>.opt.webp|jpg`, EXIF rotation
 * applied, longest side at most `maxSize`, default 2560). Runs in the transcode stage.
 */
export const optimizeImageProcessor: PostProcessor = {
  name: "optimize",
  stage: "transcode",
  accepts(item: MediaItem, options: MediaOptions): boolean {
    return options.image?.optimize === true && item.kind === "photo";
  },
  async run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult> {
    const o = ctx.options.image ?? {};
    const format = o.format ?? "webp";
    try {
      const out = derivedPath(item.path, `.opt.${format === "webp" ? "webp" : "jpg"}`, ctx.options);
      const { bytes, engine } = await renderImage({ image: item.path }, out, {
        format,
        maxSize: o.maxSize ?? 2560,
        quality: o.quality ?? 82,
        engine: o.engine ?? "auto",
        ffmpeg: ctx.tools.ffmpeg,
        signal: ctx.signal,
        timeoutMs: ctx.options.timeoutMs,
      });
      const saved = item.size > 0 ? Math.round((1 - bytes / item.size) * 1000) / 10 : 0;
      return {
        processor: "optimize",
        status: "ok",
        files: [{ role: "optimized", path: out, bytes }],
        metadata: { engine, saved_percent: saved },
      };
    } catch (err) {
      const e = err instanceof Error && !(err instanceof TgpipeError) && !ctx.signal.aborted
        ? new TgpipeError(`Cannot optimise ${item.path}: ${err.message}`, { code: "CORRUPT_MEDIA" })
        : err;
      return failureResult("optimize", e, ctx.signal);
    }
  },
};
