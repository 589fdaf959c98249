/**
 * `tgpipe export`: sharded, resumable export of chats to Markdown notes, messages.jsonl and media
 * (docs/export-format.md), on the job runner: chats are resolved first (bad input fails before
 * any work), then each chat is a job item (export_chat_step.ts), fetched in shards and written in
 * id order by one writer; progress lives in the KV store so a re-run resumes, and a later run
 * fetches only what is new.
 */
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import type { ExitCodeValue } from "../../core/exit_codes.ts";
import type { MediaKind } from "../../core/message.ts";
import { runJob } from "../../engine/job_runner.ts";
import { TRANSIENT_RETRIES } from "../../engine/is_transient.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import type { Emit } from "../../progress/events.ts";
import { openOutputStore } from "../shared/open_output_store.ts";
import type { MediaPostSettings } from "../shared/media_post.ts";
import type { TelegramAccess } from "../shared/telegram_access.ts";
import type { ExportChatResult, MediaPostProcess } from "./export_chat.ts";
import { type ChatItem, exportChatStep } from "./export_chat_step.ts";
import { excludeMatchers, planChats } from "./plan_chats.ts";
import type { ChatFilter } from "../../core/chat_filter.ts";
import { type ExportSession, openExportSession } from "./export_session.ts";
import { parseExportTarget } from "./export_target.ts";
import { writeRootIndex } from "./root_index.ts";

/** Options of {@link exportChats}; lib/cli fills them from flags and settings. */
export interface ExportOptions {
  out: string;
  kv: string;
  /** Create the progress store's missing folder (only for the default location: a typo never does). */
  createKvParent?: boolean;
  access: TelegramAccess;
  /** Accounts sharing the media downloads, `access` first (as `tgpipe download`); default [access]. */
  accounts?: TelegramAccess[];
  /** Media files at once; default 8 (their parts in flight are capped at 48 per account). */
  concurrency?: number;
  /** Parts in flight per media file; default by size (4 below 10 MB, 8 below 64 MB, else 16). */
  partConcurrency?: number;
  /** Connections per DC per account for media. Default 8. */
  connections?: number;
  layout: NoteLayout;
  /** Media kinds to download; empty = none. */
  mediaKinds: ReadonlySet<MediaKind>;
  maxMediaSize?: number;
  minId?: number;
  maxId?: number;
  /** Unix seconds: messages at or after / before. */
  after?: number;
  before?: number;
  /** The newest N messages of each chat. */
  limit?: number;
  comments?: boolean;
  topics?: boolean;
  takeout?: boolean;
  /** Fetch workers (= concurrent shards, each its own connection); undefined = automatic. */
  shards?: number;
  /**
   * Fetch workers (each its own GramJS and connection); 0 = fetch on the main thread over the
   * main connection. undefined = automatic (see AUTO_FETCH_WORKERS).
   */
  fetchWorkers?: number;
  /** The fetch worker's module; default workers/fetch_worker.ts (tests give one that cannot start). */
  fetchWorkerUrl?: URL;
  /** Ids per shard. Default 2000. */
  shardSize?: number;
  refresh?: boolean;
  /** Optional step per downloaded media file (the media issue wires transcription here). */
  postProcess?: MediaPostProcess;
  /** --transcribe, --transcode, --thumbnails, --optimize-images, --dedup (docs/media.md). */
  media?: MediaPostSettings;
  /** Stop starting chats after this long (ms): exit 75, the same command resumes. */
  maxRuntimeMs?: number;
  /** Also every chat of the account that passes this filter (`--all`, `--type`). */
  all?: ChatFilter;
  /** Chats left out: ids, @usernames, t.me links or `me` (`--exclude`). */
  exclude?: string[];
  emit?: Emit;
  signal?: AbortSignal;
}

/** What an export run did. */
export interface ExportReport {
  job: string;
  out: string;
  chats: ExportChatResult[];
  messages: number;
  fetched: number;
  media_files: number;
  media_failed: number;
  failed: number;
  shards: number;
  elapsed_ms: number;
  /** 0, or 3 when chats or media failed (each reported). */
  exit_code: ExitCodeValue;
}

/**
 * Fetch workers at most: every core but the one the writer renders on (at least one, at most 4).
 * More shards share a worker's connection (pipelined); each worker costs ~60 MB (its own GramJS).
 */
const MAX_WORKERS = Math.max(1, Math.min(4, (navigator.hardwareConcurrency ?? 2) - 1));
/**
 * Automatic fetch workers: none on two cores or fewer, where a worker only competes with the
 * writer for the same cores (measured, 30k messages at 30 ms RTT on 2 cores: fetching on the
 * main thread was 10-20% faster, used ~20% less CPU and ~60 MB less memory); else MAX_WORKERS.
 */
const AUTO_FETCH_WORKERS = (navigator.hardwareConcurrency ?? 2) <= 2 ? 0 : MAX_WORKERS;

/**
 * Exports every chat named in `inputs` (see module comment). Chats or media that failed are
 * reported (item_failed) and make `exit_code` 3.
 *
 * @throws {UsageError} for bad chat references, unknown chats or an unwritable output (exit 2)
 * @throws {StoppedError} on TAKEOUT_INIT_DELAY, Ctrl-C or --max-runtime (exit 75, resumable)
 */
export async function exportChats(inputs: string[], opts: ExportOptions): Promise<ExportReport> {
  const t0 = performance.now();
  const emit: Emit = opts.emit ?? (() => {});
  if (inputs.length === 0 && !opts.all) {
    throw new UsageError("Name at least one chat to export, or take them all with --all or --type");
  }
  const targets = inputs.map(parseExportTarget);
  const exclude = excludeMatchers(opts.exclude ?? []);
  const output = await openOutputStore(opts.out, opts);
  const store = output.store;
  let session: ExportSession | undefined;
  // Takeout is finished with success only when every chat was exported.
  let finished = false;
  try {
    session = await openExportSession({
      ...opts,
      workers: Math.min(opts.shards ?? MAX_WORKERS, opts.fetchWorkers ?? AUTO_FETCH_WORKERS),
      emit,
    });
    const s = session;
    const results: ExportChatResult[] = [];
    const shards = { max: 0 };
    const job = await runJob<ChatItem>({
      command: "export",
      // One job per output folder and layout: chats keep their checkpoints whatever else a run names.
      key: JSON.stringify({ out: resolve(opts.out), layout: opts.layout }),
      args: `${[...inputs, ...(opts.all ? ["--all"] : [])].join(" ")} -> ${opts.out}`,
      plan: async ({ jobId, signal }) => {
        const items = await planChats(s.client, targets, { all: opts.all, exclude }, signal);
        if (opts.takeout) await s.startTakeout(opts.maxMediaSize);
        await s.openMedia(store, jobId);
        return items;
      },
      step: (item, ctx) =>
        exportChatStep(item, { session: s, opts: { ...opts, store }, results, shards }, ctx),
      // before `done`: a root index that cannot be written (a full disk) is the run's outcome
      finish: async ({ signal }) => {
        await s.finishMedia();
        await writeRootIndex(opts.out, signal);
      },
    }, {
      store,
      // every run exports every named chat again, incrementally from its checkpoint
      skipDone: false,
      // a chat that failed on the network goes back to the queue and resumes from its checkpoint
      ...TRANSIENT_RETRIES,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit,
      signal: opts.signal,
    });
    finished = job.exit_code === 0;
    const sum = (k: "messages" | "fetched" | "media_files" | "media_failed") =>
      results.reduce((n, r) => n + r[k], 0);
    return {
      job: job.job,
      out: opts.out,
      chats: results,
      messages: sum("messages"),
      fetched: sum("fetched"),
      media_files: sum("media_files"),
      media_failed: sum("media_failed"),
      failed: job.failed,
      shards: shards.max,
      elapsed_ms: Math.round(performance.now() - t0),
      exit_code: job.exit_code,
    };
  } catch (err) {
    await output.failed(err);
    throw err;
  } finally {
    await session?.close(finished);
    store.close();
  }
}
