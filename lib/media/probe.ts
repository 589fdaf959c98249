import { TgpipeError, ToolMissingError } from "../core/errors.ts";
import { failureResult } from "./failure_result.ts";
import { parseProbe } from "./parse_probe.ts";
import type { MediaItem, PostProcessor, ProcessorContext, ProcessorResult } from "./post_processor.ts";
import { runTool } from "../tools/run_tool.ts";

const PROBED = new Set(["video", "voice", "audio", "round", "animation", "photo", "sticker"]);

/** probe: ffprobe JSON -> duration, codecs, resolution, bitrate, has_audio/has_video. */
export const probeProcessor: PostProcessor = {
  name: "probe",
  stage: "probe",
  accepts(item: MediaItem): boolean {
    if (PROBED.has(item.kind)) return !item.path.endsWith(".tgs");
    return /^(audio|video|image)\//.test(item.mime ?? "");
  },
  async run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult> {
    try {
      const ffprobe = ctx.tools.ffprobe;
      if (!ffprobe) {
        throw new ToolMissingError("ffprobe", "install ffmpeg or pass --ffprobe; see `tgpipe doctor`");
      }
      const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", item.path];
      const { stdout } = await runTool(ffprobe, args, {
        signal: ctx.signal,
        timeoutMs: ctx.options.timeoutMs,
        maxStdoutBytes: 4 * 1024 * 1024,
      });
      let info;
      try {
        info = parseProbe(new TextDecoder().decode(stdout));
      } catch (err) {
        throw new TgpipeError(`Cannot read ${item.path}: ${(err as Error).message}`, {
          code: "CORRUPT_MEDIA",
          data: { path: item.path },
        });
      }
      return { processor: "probe", status: "ok", files: [], metadata: { ...info } };
    } catch (err) {
      return failureResult("probe", err, ctx.signal);
    }
  },
};
