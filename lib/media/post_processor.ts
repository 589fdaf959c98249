/**
 * The PostProcessor interface and tgpipe's own media types. Everything here is plain data
 * (structured-clonable) except `emit` and `signal`, so a task can cross into a media worker.
 */
import type { Emit } from "../progress/events.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";

import type { MediaKind } from "../core/message.ts";

/** Media kinds are the message model's: photo, video, voice, audio, round, document, sticker, animation. */
export type { MediaKind };

/** One media file on disk, as export, download or `tgpipe transcribe` hands it over. */
export interface MediaItem {
  /** Stable id for events (message id, file name); defaults to the path in events. */
  id?: string;
  path: string;
  kind: MediaKind;
  mime?: string;
  size: number;
  /** Hex sha256 of the file; computed on demand when a processor needs it (transcript cache). */
  sha256?: string;
}

/** Stages in the order a chain runs them (yt-dlp style); dedup runs on its own before them. */
export const STAGES = ["probe", "transcode", "thumbnail", "transcribe"] as const;

/** One stage of the chain. */
export type Stage = typeof STAGES[number];

/** A file a processor wrote next to (or for) the media. */
export interface DerivedFile {
  /** What it is: "thumbnail", "preview", "transcoded", "optimized", "srt", "vtt", "json", "txt". */
  role: string;
  path: string;
  bytes: number;
}

/** A warning a processor reports instead of failing the item. */
export interface ProcessorWarning {
  /** Stable code, e.g. "TOOL_MISSING", "TOOL_FAILED", "TGS_UNSUPPORTED", "CORRUPT_MEDIA". */
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

/** What one processor did with one item. */
export interface ProcessorResult {
  processor: string;
  /** "skipped": nothing to do (or reused a cached result is still "ok"); "failed": see warning. */
  status: "ok" | "skipped" | "failed";
  files: DerivedFile[];
  /** Processor-specific metadata (probe info, transcript, encoder used) for JSON and notes. */
  metadata: Record<string, unknown>;
  warning?: ProcessorWarning;
}

/** The external tools processors may use, resolved in the main thread (workers never read env). */
export interface MediaTools {
  ffmpeg?: ResolvedTool;
  ffprobe?: ResolvedTool;
  whisperCli?: ResolvedTool;
}

/** `--transcode` and friends. */
export interface TranscodeOptions {
  codec: "h264" | "hevc" | "copy";
  /** Scale down (never up) to this height; keeps the aspect ratio. */
  maxHeight?: number;
  /** Constant quality; default 23 (h264) / 28 (hevc). */
  crf?: number;
  /** Audio codec for video and audio items; default "aac". */
  audio?: "aac" | "opus";
  /** "auto" (default) uses VA-API/NVENC/QSV when present; "none" forces software. */
  hardware?: "auto" | "none";
}

/** Thumbnail, sticker preview and image optimisation settings. */
export interface ImageOptions {
  format?: "webp" | "jpeg";
  /** Longest side of optimised photos in pixels; default 2560. */
  maxSize?: number;
  /** Longest side of thumbnails and sticker previews in pixels; default 320. */
  thumbSize?: number;
  quality?: number;
  /** "auto" (default) uses sharp and falls back to ffmpeg when sharp cannot load. */
  engine?: "auto" | "sharp" | "ffmpeg";
  /** Also write an optimised copy of photos (`<name>.opt.webp`). */
  optimize?: boolean;
}

/** Whisper settings. */
export interface TranscribeOptions {
  /** ggml model file. */
  model: string;
  /** Spoken language, or "auto" (default). */
  language?: string;
  threads?: number;
  /** Long media is cut into chunks of this many seconds; default 600. */
  chunkSeconds?: number;
  /** Which files to write beside the media; default ["srt", "vtt"]. */
  formats?: Array<"srt" | "vtt" | "json" | "txt">;
}

/** Options for a chain of processors; each processor reads its own part. */
export interface MediaOptions {
  /** Where derived files go; default beside the media file. */
  outDir?: string;
  transcode?: TranscodeOptions;
  image?: ImageOptions;
  transcribe?: TranscribeOptions;
  /** Per-subprocess time limit in milliseconds; a timeout is a warning, not a crash. */
  timeoutMs?: number;
}

/** What a processor gets to do its job. */
export interface ProcessorContext {
  signal: AbortSignal;
  tools: MediaTools;
  /** Cache root: transcripts live in `<cacheDir>/transcripts`, scratch files in `<cacheDir>/tmp`. */
  cacheDir: string;
  options: MediaOptions;
  emit: Emit;
  /** Results of the earlier stages for this item, by processor name (probe info for transcode). */
  previous: Readonly<Record<string, ProcessorResult>>;
}

/** A named media task (probe, transcode, thumbnail, transcribe, ...). */
export interface PostProcessor {
  readonly name: string;
  readonly stage: Stage;
  /** Whether this processor has anything to do for the item with these options. */
  accepts(item: MediaItem, options: MediaOptions): boolean;
  /**
   * Does the work. Expected failures (bad media, missing tool, timeout) come back as a "failed"
   * result with a warning; only an abort rethrows.
   */
  run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult>;
}
