import { basename, extname, resolve } from "node:path";
import { TgpipeError, UsageError } from "../../core/errors.ts";
import type { MediaKind } from "../../core/message.ts";
import { findTool } from "../../tools/find_tool.ts";
import { sha256File } from "../../media/hash_file.ts";
import type { MediaItem, MediaTools, ProcessorWarning } from "../../media/post_processor.ts";
import type { Transcript, TranscriptFormat } from "../../media/subtitles.ts";
import { type MediaTask, type MediaTaskResult, runMediaTask } from "../../media/media_task.ts";
import type { ExitCodeValue } from "../../core/exit_codes.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobItem } from "../../engine/job_types.ts";
import type { Emit, EventBody } from "../../progress/events.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import { createMediaPool } from "../shared/media_pool.ts";
import { checkWritable } from "../shared/check_writable.ts";

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
  /** Progress store for the job record; default an in-memory one. */
  kv?: string;
  /** Create the progress store's missing folder (only for the default location: a typo never does). */
  createKvParent?: boolean;
  /** Stop starting files after this long (ms): exit 75, the rerun resumes (cached files are instant). */
  maxRuntimeMs?: number;
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
  /** 0, 3 when some files failed, 1 when all did. */
  exit_code: ExitCodeValue;
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
  // a --out that cannot take the transcripts is refused before any work
  if (opts.outDir !== undefined) await checkWritable(opts.outDir);
  const find = { searchPath: opts.searchPath, cacheDir: opts.cacheDir, signal: opts.signal };
  const tools: MediaTools = {
    whisperCli: await findTool("whisper-cli", { ...find, configured: opts.whisperCli }),
    ffmpeg: await findTool("ffmpeg", { ...find, configured: opts.ffmpeg }),
  };
  const list = [...new Set(paths)];
  const size = Math.max(1, Math.min(opts.concurrency ?? 1, list.length));
  // One file at a time gains nothing from a worker (whisper-cli is a subprocess using every core),
  // so the chain then runs in this thread and skips the worker's start-up.
  const pool = size > 1 ? createMediaPool({ size, queueSize: size }) : _inThread();
  const files = new Map<string, TranscribedFile>();
  const store = await openProgressStore(opts.kv ?? ":memory:", {
    createParent: opts.createKvParent ?? false,
    signal: opts.signal,
  });
  try {
    const job = await runJob<JobItem>({
      command: "transcribe",
      key: JSON.stringify({ files: list.map((p) => resolve(p)), out: opts.outDir ?? null }),
      args: `${list.length} files${opts.outDir ? ` -> ${opts.outDir}` : ""}`,
      plan: () => list.map((path) => ({ id: path, name: basename(path) })),
      step: async ({ id: path }, ctx) => {
        const f = await _transcribeOne(path, { pool, tools, opts, signal: ctx.signal, emit: ctx.emit })
          .catch((err) => {
            if (!ctx.signal.aborted) files.set(path, _failed(path, err));
            throw err;
          });
        files.set(path, f);
        return { path: f.outputs[0], skipped: f.cached };
      },
    }, {
      store,
      concurrency: size,
      // the transcript cache (by content hash) is what makes a rerun cheap
      skipDone: false,
      allFailedExit: 1,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit: opts.emit,
      signal: opts.signal,
    });
    const done = list.map((p) => files.get(p)!);
    return {
      total: job.items,
      done: job.done + job.skipped,
      failed: job.failed,
      cached: job.skipped,
      files: done,
      elapsed_ms: Math.round(performance.now() - t0),
      exit_code: job.exit_code,
    };
  } finally {
    if (opts.signal.aborted) pool.terminate();
    else await pool.close();
    store.close();
  }
}

type _Pool = ReturnType<typeof _inThread> | ReturnType<typeof createMediaPool>;

/** Transcribes one file in the pool; throws a TgpipeError carrying the processor's warning. */
async function _transcribeOne(
  path: string,
  c: { pool: _Pool; tools: MediaTools; opts: TranscribeFilesOptions; signal: AbortSignal; emit: Emit },
): Promise<TranscribedFile> {
  const item = await _item(path, c.signal).catch((err: Error) => {
    throw new TgpipeError(`Cannot read ${path}: ${err.message}`, { code: "NOT_FOUND" });
  });
  const o = c.opts;
  const handle = await c.pool.submit({
    item,
    processors: ["transcribe"],
    tools: c.tools,
    cacheDir: o.cacheDir,
    options: {
      outDir: o.outDir,
      timeoutMs: o.timeoutMs,
      transcribe: {
        model: o.model!,
        language: o.language,
        threads: o.threads,
        chunkSeconds: o.chunkSeconds,
        formats: o.formats,
      },
    },
  }, { signal: c.signal, onEvent: c.emit });
  const res = await handle.result;
  const r = res.results.find((x) => x.processor === "transcribe");
  if (!r || r.status !== "ok") {
    const w = r?.warning ?? { code: "SKIPPED", message: "Nothing to transcribe" };
    throw new TgpipeError(w.message, { code: w.code, data: w.data });
  }
  return {
    path,
    ok: true,
    cached: r.metadata.cached === true,
    outputs: r.files.map((f) => f.path),
    transcript: r.metadata.transcript as Transcript,
  };
}

async function _item(path: string, signal: AbortSignal): Promise<MediaItem> {
  const st = await Deno.stat(path);
  if (!st.isFile) throw new Error("not a file");
  const kind = KIND_BY_EXT[extname(path).toLowerCase()] ?? "audio";
  // Hashing here (not in the worker) keeps the content hash next to the file list for export.
  return { id: path, path, kind, size: st.size, sha256: await sha256File(path, { signal }) };
}

function _failed(path: string, err: unknown): TranscribedFile {
  const e = err instanceof TgpipeError ? err : new TgpipeError(String(err), { code: "INTERNAL" });
  return { path, ok: false, cached: false, outputs: [], warning: { code: e.code, message: e.message } };
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
