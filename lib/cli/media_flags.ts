import { InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { MediaPostSettings } from "../app/shared/media_post.ts";
import type { Runtime } from "./runtime.ts";

/** The media flags as commander parses them. */
export interface MediaFlags {
  transcribe?: boolean;
  language?: string;
  threads?: number;
  transcode?: "h264" | "hevc" | "copy";
  maxHeight?: number;
  crf?: number;
  thumbnails?: boolean;
  optimizeImages?: boolean;
  dedup?: boolean;
  mediaWorkers?: number;
}

/** Help text shared by the commands that take media flags. */
export const MEDIA_FLAGS_HELP = `
Media processing (docs/media.md): --transcribe needs whisper-cli (scripts/build_whisper.sh) and a
ggml model (--whisper-model); transcripts go into .srt/.vtt beside the media and, with export, into
the note (a collapsed callout) and messages.jsonl; cached by content hash. A failing task is a warning: the message
keeps its media without the derived file.`;

/**
 * Adds the media post-processing flags to a command: `--transcribe` with the whisper flags
 * (always), plus transcode/thumbnail/optimise/dedup flags unless `transcribeOnly`.
 */
export function addMediaFlags<C extends { addOption(o: Option): unknown }>(
  cmd: C,
  opts: { transcribeOnly?: boolean } = {},
): C {
  const add = (o: Option) => void cmd.addOption(o);
  add(new Option("--transcribe", "transcribe voice, round, audio and video with whisper-cli"));
  add(new Option("--whisper-cli <path>", "whisper.cpp whisper-cli binary (default: PATH)"));
  add(new Option("--whisper-model <file>", "ggml Whisper model file (e.g. ggml-base.bin)"));
  add(new Option("--language <code>", "spoken language (en, de, ...) or auto").default("auto"));
  add(new Option("--threads <n>", "whisper threads per file").argParser(_positive));
  add(new Option("--ffmpeg <path>", "ffmpeg binary (default: PATH, then the bundled one)"));
  add(new Option("--ffprobe <path>", "ffprobe binary (default: PATH, then the bundled one)"));
  add(
    new Option("--media-workers <n>", "media worker threads (default: number of cores)").argParser(_positive),
  );
  if (opts.transcribeOnly) return cmd;
  add(
    new Option("--transcode <codec>", "transcode videos beside the original").choices([
      "h264",
      "hevc",
      "copy",
    ]),
  );
  add(new Option("--max-height <px>", "with --transcode: scale down to this height").argParser(_positive));
  add(
    new Option("--crf <n>", "with --transcode: constant quality (default 23 h264, 28 hevc)").argParser(_crf),
  );
  add(new Option("--thumbnails", "write <name>.thumb.webp beside photos, videos and stickers"));
  add(new Option("--optimize-images", "write an optimised <name>.opt.webp beside photos and embed it"));
  add(new Option("--dedup", "store identical media (sha256) once; notes link to the one copy"));
  return cmd;
}

/** The media settings for lib/app, or undefined when no media flag asks for processing. */
export function mediaSettings(flags: MediaFlags, rt: Runtime): MediaPostSettings | undefined {
  if (
    !flags.transcribe && !flags.transcode && !flags.thumbnails && !flags.optimizeImages && !flags.dedup
  ) return undefined;
  const s = rt.settings;
  return {
    transcribe: flags.transcribe
      ? { model: s.whisperModel, language: flags.language, threads: flags.threads }
      : undefined,
    transcode: flags.transcode
      ? { codec: flags.transcode, maxHeight: flags.maxHeight, crf: flags.crf }
      : undefined,
    thumbnails: flags.thumbnails,
    optimizeImages: flags.optimizeImages,
    dedup: flags.dedup,
    ffmpeg: s.ffmpeg,
    ffprobe: s.ffprobe,
    whisperCli: s.whisperCli,
    searchPath: rt.io.env.PATH ?? "",
    cacheDir: s.cacheDir,
    workers: flags.mediaWorkers,
  };
}

function _positive(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a positive whole number");
  }
  return n;
}

function _crf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 51) throw new InvalidArgumentError("expected 0-51");
  return n;
}
