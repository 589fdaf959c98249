/**
 * Media post-processing for export, import and download: dedup by content hash in this thread,
 * then the chain (probe, transcode, optimize, thumbnail, transcribe) on the media worker pool,
 * and the results written back into the message (probe fields, transcript, derived files). A
 * failing task is a `warning` event and the message keeps its media without the derived file.
 */
import { join, relative } from "node:path";
import { ToolMissingError, toTgpipeError, UsageError, WorkerStartError } from "../../core/errors.ts";
import type { Media, Message } from "../../core/message.ts";
import { dedupMedia } from "../../media/dedup.ts";
import { findTool, type ResolvedTool, type ToolName } from "../../tools/find_tool.ts";
import { sha256File } from "../../media/hash_file.ts";
import { JsonDedupIndex } from "../../media/json_dedup_index.ts";
import type { MediaTask, MediaTaskResult } from "../../media/media_task.ts";
import type { MediaItem, MediaOptions, MediaTools, TranscodeOptions } from "../../media/post_processor.ts";
import type { Emit, EventBody } from "../../progress/events.ts";
import { applyMediaResults } from "./apply_media_results.ts";
import { createMediaPool, type MediaPool } from "./media_pool.ts";

/** What to do with each media file; lib/cli fills it from --transcribe, --transcode, ... */
export interface MediaPostOptions {
  /** Output root: relative media paths resolve against it; the dedup index lives in it. */
  out: string;
  transcribe?: { model?: string; language?: string; threads?: number };
  transcode?: TranscodeOptions;
  thumbnails?: boolean;
  optimizeImages?: boolean;
  dedup?: boolean;
  /** Configured tool paths (flag/env/config); unset ones are looked up on `searchPath`. */
  ffmpeg?: string;
  ffprobe?: string;
  whisperCli?: string;
  searchPath: string;
  cacheDir: string;
  /** Media workers; default the number of cores. */
  workers?: number;
  /** The media worker's module; default workers/media_worker.ts (tests give one that cannot start). */
  workerUrl?: URL;
  /** Per-subprocess time limit (ms). */
  timeoutMs?: number;
  emit: Emit;
  signal?: AbortSignal;
}

/** The media options a command passes to its use case (the use case adds out, emit and signal). */
export type MediaPostSettings = Omit<MediaPostOptions, "out" | "emit" | "signal">;

/** Counters of one run, also logged on close. */
export interface MediaPostStats {
  processed: number;
  transcribed: number;
  transcripts_cached: number;
  duplicates: number;
  warnings: number;
}

/** Where the dedup index lives inside the output folder. */
export const DEDUP_INDEX = ".tgpipe/media-index.json";

/** True when any media flag asks for post-processing. */
export function wantsMediaPost(o: Partial<MediaPostOptions>): boolean {
  return !!(o.transcribe || o.transcode || o.thumbnails || o.optimizeImages || o.dedup);
}

/**
 * Post-processes media files in place (see module comment). Open once per run with
 * {@link openMediaPost}, call `process` for each file, `close` at the end.
 */
export class MediaPost {
  readonly stats: MediaPostStats = {
    processed: 0,
    transcribed: 0,
    transcripts_cached: 0,
    duplicates: 0,
    warnings: 0,
  };
  #processors: string[];
  #inline: boolean;

  constructor(
    readonly opts: MediaPostOptions,
    readonly tools: MediaTools,
    readonly pool: MediaPool,
    readonly index?: JsonDedupIndex,
  ) {
    this.#processors = ["probe"];
    if (opts.transcode) this.#processors.push("transcode");
    if (opts.optimizeImages) this.#processors.push("optimize");
    if (opts.thumbnails) this.#processors.push("thumbnail");
    if (opts.transcribe) this.#processors.push("transcribe");
    // the probe alone is one ffprobe: run here, not in a worker (a V8 isolate of its own) started for it
    this.#inline = this.#processors.length === 1;
  }

  /** Starts a worker now when the tasks need one, so its modules load while the caller downloads. */
  warm(): void {
    if (!this.#inline) this.pool.warm();
  }

  /**
   * Processes the media of `msg` at `path` (relative to the output root) and updates `msg.media`.
   * Returns the path notes should link to: the canonical copy when dedup found one.
   */
  async process(msg: Message, path: string, signal?: AbortSignal): Promise<string> {
    if (!msg.media) return path;
    const item = `media:${msg.chat_id}:${msg.id}`;
    const abs = await this.processFile(join(this.opts.out, path), { media: msg.media, item, signal });
    return relative(this.opts.out, abs);
  }

  /**
   * Processes the file at `abs` (any absolute path: download uses this) and updates `media`;
   * returns the absolute path to link to (the canonical copy when dedup found one).
   */
  async processFile(abs: string, o: { media: Media; item: string; signal?: AbortSignal }): Promise<string> {
    try {
      return await this.#processFile(abs, o);
    } catch (err) {
      if (o.signal?.aborted || this.opts.signal?.aborted) throw err;
      // Whatever went wrong (a file gone, a full disk), the message keeps its media as it is.
      this.#failed(err, o.item);
      return abs;
    }
  }

  async #processFile(abs: string, o: { media: Media; item: string; signal?: AbortSignal }): Promise<string> {
    const { media, item, signal } = o;
    const size = (await Deno.stat(abs)).size;
    let sha256: string | undefined;
    if (this.index) {
      const d = await dedupMedia(abs, { index: this.index, signal });
      sha256 = media.sha256 = d.sha256;
      if (d.duplicate) {
        this.stats.duplicates++;
        abs = d.canonical;
      }
      await this.index.flush();
    } else if (this.opts.transcribe) {
      // Hashing here keeps the transcript cache key next to the file, off the worker.
      sha256 = await sha256File(abs, { signal });
    }
    const mediaItem: MediaItem = {
      id: item,
      path: abs,
      kind: media.kind,
      mime: media.mime_type,
      size,
      sha256,
    };
    let res: MediaTaskResult;
    const task: MediaTask = {
      item: mediaItem,
      processors: this.#processors,
      tools: this.tools,
      cacheDir: this.opts.cacheDir,
      options: this.#options(),
    };
    const onEvent = (e: EventBody) => {
      if (e.type === "warning") this.stats.warnings++;
      this.opts.emit(e);
    };
    try {
      res = await this.#run(task, onEvent, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      // A crashed worker loses this item's derived files only.
      this.#failed(err, item);
      return abs;
    }
    this.stats.processed++;
    const applied = applyMediaResults(media, res, { out: this.opts.out, item, emit: this.opts.emit });
    if (applied.transcribed) this.stats.transcribed++;
    if (applied.cached) this.stats.transcripts_cached++;
    return abs;
  }

  // On a worker, or here: the probe alone, or workers that cannot start (the task never left).
  async #run(
    task: MediaTask,
    onEvent: (e: EventBody) => void,
    signal?: AbortSignal,
  ): Promise<MediaTaskResult> {
    try {
      if (!this.#inline) return await this.pool.run(task, { signal, onEvent });
    } catch (err) {
      if (!(err instanceof WorkerStartError)) throw err;
      if (!this.#inline) {
        const message = `Media workers could not start (${err.why}); processing media on the main thread`;
        onEvent({ type: "warning", code: "MEDIA_WORKERS_UNAVAILABLE", message });
      }
      this.#inline = true;
    }
    const { runMediaTask } = await import("../../media/media_task.ts");
    return await runMediaTask(task, { signal: signal ?? new AbortController().signal, emit: onEvent });
  }

  /** Waits for running tasks, stops the workers and logs what was done. */
  async close(): Promise<void> {
    if (this.opts.signal?.aborted) this.pool.terminate();
    else await this.pool.close();
    await this.index?.flush();
    const s = this.stats;
    this.opts.emit({
      type: "log",
      level: "info",
      message:
        `media: ${s.processed} processed, ${s.transcribed} transcribed (${s.transcripts_cached} from cache), ` +
        `${s.duplicates} duplicates linked, ${s.warnings} warnings`,
    });
  }

  #options(): MediaOptions {
    const t = this.opts.transcribe;
    return {
      timeoutMs: this.opts.timeoutMs,
      transcode: this.opts.transcode,
      image: { optimize: this.opts.optimizeImages },
      transcribe: t ? { model: t.model!, language: t.language, threads: t.threads } : undefined,
    };
  }

  /** A media task failed: one warning, counted; the message keeps its media without derived files. */
  #failed(err: unknown, item: string): void {
    const e = toTgpipeError(err);
    this.stats.warnings++;
    this.opts.emit({ type: "warning", code: e.code, message: `Media tasks failed: ${e.message}`, item });
  }
}

/**
 * Resolves the tools the options need (once, here, never in workers), loads the dedup index and
 * starts the media pool. A missing whisper-cli or ffmpeg is a warning (each item then reports it
 * and keeps its media); no model at all for --transcribe is a usage error.
 *
 * @throws {UsageError} when --transcribe has no model configured
 */
export async function openMediaPost(opts: MediaPostOptions): Promise<MediaPost> {
  if (opts.transcribe && !opts.transcribe.model) {
    throw new UsageError(
      "--transcribe needs a Whisper model: pass --whisper-model or set TGPIPE_WHISPER_MODEL",
    );
  }
  const tools: MediaTools = {
    ffprobe: await _tool("ffprobe", opts.ffprobe, opts),
    ffmpeg: opts.transcode || opts.transcribe || opts.thumbnails || opts.optimizeImages
      ? await _tool("ffmpeg", opts.ffmpeg, opts)
      : undefined,
    whisperCli: opts.transcribe ? await _tool("whisper-cli", opts.whisperCli, opts) : undefined,
  };
  const index = opts.dedup ? await JsonDedupIndex.open(opts.out, join(opts.out, DEDUP_INDEX)) : undefined;
  const size = opts.workers ?? navigator.hardwareConcurrency ?? 1;
  return new MediaPost(
    opts,
    tools,
    createMediaPool({ size, queueSize: size, testUrl: opts.workerUrl }),
    index,
  );
}

async function _tool(
  name: ToolName,
  configured: string | undefined,
  opts: MediaPostOptions,
): Promise<ResolvedTool | undefined> {
  try {
    return await findTool(name, {
      configured,
      searchPath: opts.searchPath,
      cacheDir: opts.cacheDir,
      // ffprobe is only run, never shown: no `ffprobe -version` start-up (a few hundred ms of CPU)
      version: name !== "ffprobe",
      signal: opts.signal,
    });
  } catch (err) {
    if (!(err instanceof ToolMissingError)) throw err;
    opts.emit({ type: "warning", code: err.code, message: err.message });
    return undefined;
  }
}
