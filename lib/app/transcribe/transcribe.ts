import { basename, extname } from "node:path";
import { TgpipeError, UsageError } from "../../core/errors.ts";
import type { MediaKind } from "../../core/message.ts";
import { findTool } from "../../tools/find_tool.ts";
import { sha256File } from "../../media/hash_file.ts";
import type { MediaItem, MediaTools, ProcessorWarning } from "../../media/post_processor.ts";
import type { Transcript, TranscriptFormat } from "../../media/subtitles.ts";
import { type MediaTask, type MediaTaskResult, runMediaTask } from "../../media/media_task.ts";
import type { Emit, EventBody } from "../../progress/events.ts";
import { createMediaPool } from "../shared/media_pool.ts";

/** Options of `transcribeFiles`; lib/cli resolves them from flags, env and config. */
export interface TranscribeFilesOptions {
  /** Configured tool paths (flag/env/config); unset ones are looked up on `searchPath`. */
  ffmpeg?: string;
  whisperCli?: string;
  /** ggml Whisper model file (required). */
  model?: string;
  language?: string;
  threads?: number;
  /** Output folder; default beside each file. */
  outDir?: string;
  /** Default ["srt", "vtt"]. */
  formats?: TranscriptFormat[];
  /** Seconds per whisper chunk; default 600. */
  chunkSeconds?: number;
  /** Per-subprocess time limit. */
  timeoutMs?: number;
  /** Files transcribed at once, each in a media worker; default 1 (whisper uses every core). */
  concurrency?: number;
  /** $PATH as lib/cli read it. */
  searchPath: string;
  cacheDir: string;
  emit: Emit;
  signal: AbortSignal;
}

/** The outcome for one file. */
export interface TranscribedFile {
  path: string;
  ok: boolean;
  cached: boolean;
  /** Derived files written (srt, vtt, ...). */
  outputs: string[];
  transcript?: Transcript;
  warning?: ProcessorWarning;
}

/** What `transcribeFiles` did. */
export interface TranscribeReport {
  total: number;
  done: number;
  failed: number;
  cached: number;
  files: TranscribedFile[];
  elapsed_ms: number;
}

const KIND_BY_EXT: Record<string, MediaKind> = {
  ".ogg": "voice",
  ".oga": "voice",
  ".opus": "voice",
  ".mp3": "audio",
  ".m4a": "audio",
  ".wav": "audio",
  ".flac": "audio",
  ".aac": "audio",
  ".mp4": "video",
  ".mkv": "video",
  ".webm": "video",
  ".mov": "video",
};

/**
 * Transcribes media files with whisper-cli in media workers, writing .srt/.vtt (and .json/.txt)
 * beside each file or into `outDir`; transcripts are cached by content hash. One file's failure
 * is a warning and an `item_failed` event, never the end of the batch. Export calls this with the
 * voice notes of a chat and puts `files[i].transcript` into the notes.
 *
 * @example
 * ```ts
 * const report = await transcribeFiles(["voice.ogg"], { model, searchPath, cacheDir, emit, signal });
 * ```
 */
export async function transcribeFiles(
  paths: string[],
  opts: TranscribeFilesOptions,
): Promise<TranscribeReport> {
  const t0 = performance.now();
  if (paths.length === 0) throw new UsageError("No files to transcribe");
  if (!opts.model) throw new UsageError("No Whisper model: pass --whisper-model or set TGPIPE_WHISPER_MODEL");
  const modelInfo = await Deno.stat(opts.model).catch(() => undefined);
  if (!modelInfo?.isFile) {
    throw new UsageError(`Whisper model not found: ${opts.model}`, { model: opts.model });
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new RangeError(`threads must be a positive integer, got ${opts.threads}`);
  }
  const find = { searchPath: opts.searchPath, cacheDir: opts.cacheDir, signal: opts.signal };
  const tools: MediaTools = {
    whisperCli: await findTool("whisper-cli", { ...find, configured: opts.whisperCli }),
    ffmpeg: await findTool("ffmpeg", { ...find, configured: opts.ffmpeg }),
  };
  const emit = opts.emit;
  emit({ type: "start", command: "transcribe", total_items: paths.length });
  const size = Math.max(1, Math.min(opts.concurrency ?? 1, paths.length));
  // One file at a time gains nothing from a worker (whisper-cli is a subprocess using every core),
  // so the chain then runs in this thread and skips the worker's start-up.
  const pool = size > 1 ? createMediaPool({ size, queueSize: size }) : _inThread();
  const files: TranscribedFile[] = new Array(paths.length);
  const pending: Promise<void>[] = [];
  try {
    for (const [i, path] of paths.entries()) {
      opts.signal.throwIfAborted();
      emit({ type: "item_start", item: path, name: basename(path) });
      const item = await _item(path, opts.signal).catch((err) => err as Error);
      if (item instanceof Error) {
        files[i] = _failed(
          path,
          { code: "NOT_FOUND", message: `Cannot read ${path}: ${item.message}` },
          emit,
        );
        continue;
      }
      const handle = await pool.submit({
        item,
        processors: ["transcribe"],
        tools,
        cacheDir: opts.cacheDir,
        options: {
          outDir: opts.outDir,
          timeoutMs: opts.timeoutMs,
          transcribe: {
            model: opts.model,
            language: opts.language,
            threads: opts.threads,
            chunkSeconds: opts.chunkSeconds,
            formats: opts.formats,
          },
        },
      }, { signal: opts.signal, onEvent: emit });
      pending.push(handle.result.then((res) => {
        const r = res.results.find((x) => x.processor === "transcribe");
        if (!r || r.status !== "ok") {
          files[i] = _failed(path, r?.warning ?? { code: "SKIPPED", message: "Nothing to transcribe" }, emit);
          return;
        }
        const outputs = r.files.map((f) => f.path);
        files[i] = {
          path,
          ok: true,
          cached: r.metadata.cached === true,
          outputs,
          transcript: r.metadata.transcript as Transcript,
        };
        emit({
          type: "item_done",
          item: path,
          name: basename(path),
          path: outputs[0],
          skipped: files[i].cached,
        });
      }, (err) => {
        if (opts.signal.aborted) throw err;
        const e = err instanceof TgpipeError ? err : new TgpipeError(String(err), { code: "INTERNAL" });
        files[i] = _failed(path, { code: e.code, message: e.message }, emit);
      }));
    }
    await Promise.all(pending);
  } finally {
    if (opts.signal.aborted) pool.terminate();
    else await pool.close();
  }
  const failed = files.filter((f) => !f.ok).length;
  const report: TranscribeReport = {
    total: paths.length,
    done: paths.length - failed,
    failed,
    cached: files.filter((f) => f.cached).length,
    files,
    elapsed_ms: Math.round(performance.now() - t0),
  };
  emit({
    type: "done",
    command: "transcribe",
    exit_code: failed === 0 ? 0 : failed === paths.length ? 1 : 3,
    items_done: report.done - report.cached,
    items_failed: failed,
    items_skipped: report.cached,
    bytes: 0,
    elapsed_ms: report.elapsed_ms,
  });
  return report;
}

async function _item(path: string, signal: AbortSignal): Promise<MediaItem> {
  const st = await Deno.stat(path);
  if (!st.isFile) throw new Error("not a file");
  const kind = KIND_BY_EXT[extname(path).toLowerCase()] ?? "audio";
  // Hashing here (not in the worker) keeps the content hash next to the file list for export.
  return { id: path, path, kind, size: st.size, sha256: await sha256File(path, { signal }) };
}

function _failed(path: string, w: ProcessorWarning, emit: Emit): TranscribedFile {
  emit({ type: "item_failed", item: path, error: { code: w.code, message: w.message, data: w.data } });
  return { path, ok: false, cached: false, outputs: [], warning: w };
}

/** The pool's submit/close surface, running each task in this thread, one after another. */
function _inThread() {
  return {
    submit(task: MediaTask, o: { signal: AbortSignal; onEvent: (e: EventBody) => void }) {
      const result: Promise<MediaTaskResult> = runMediaTask(task, { signal: o.signal, emit: o.onEvent });
      // Awaiting here keeps one task at a time, like a pool of size 1 with a full queue.
      return result.then(() => ({ result }), () => ({ result }));
    },
    close: () => Promise.resolve(),
    terminate: () => {},
  };
}
