/**
 * `tgpipe export`: sharded, resumable export of chats to Markdown notes, messages.jsonl and media
 * (docs/export-format.md). Chats are resolved first (bad input fails before any work), then each
 * chat is fetched in shards on the fetch workers and written in id order by one writer; progress
 * lives in the KV store so a re-run resumes, and a later run fetches only what is new.
 */
import { resolve } from "node:path";
import { PartialFailureError, StoppedError, toTgpipeError, UsageError } from "../../core/errors.ts";
import type { MediaKind, Message, Topic } from "../../core/message.ts";
import type { AccountPool } from "../../engine/account_pool.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { WorkerPool } from "../../engine/worker_pool.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import type { Emit } from "../../progress/events.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { TgClient } from "../../telegram/client.ts";
import type { AccountConfig } from "../../telegram/connect_files.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { finishTakeout, initTakeout } from "../../telegram/takeout.ts";
import { listForumTopics } from "../../telegram/forum_topics.ts";
import { resolveChat, type ResolvedChat } from "../../telegram/resolve_chat.ts";
import { loadSession } from "../../telegram/session_store.ts";
import { exportChat, type ExportChatResult, type IdBounds, type MediaPostProcess } from "./export_chat.ts";
import { exportComments } from "./export_comments.ts";
import { resolveBounds } from "./resolve_bounds.ts";
import { parseExportTarget } from "./export_target.ts";
import { writeRootIndex } from "./root_index.ts";
import type { FetchPool } from "./shard_feed.ts";
import { LocalFetchPool } from "./local_fetch_pool.ts";
import type { HistoryShardTask } from "../../telegram/history_shard.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { Limiter } from "../../engine/limiter.ts";
import { poolMediaFetch } from "./pool_media_fetch.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { checkWritable } from "../shared/check_writable.ts";

/** Options of {@link exportChats}; lib/cli fills them from flags and settings. */
export interface ExportOptions {
  out: string;
  kv: string;
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
  /** Ids per shard. Default 2000. */
  shardSize?: number;
  refresh?: boolean;
  /** Optional step per downloaded media file (the media issue wires transcription here). */
  postProcess?: MediaPostProcess;
  /** --transcribe, --transcode, --thumbnails, --optimize-images, --dedup (docs/media.md). */
  media?: MediaPostSettings;
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
}

// media parts in flight per account, over all files (as download: 48 kept 8 connections busy)
const PARTS_IN_FLIGHT = 48;
/**
 * Automatic --shards: up to 8 getHistory calls in flight. Measured (scripts/bench_export.ts, 30 ms
 * RTT): one worker parses and maps ~13k msg/s, so 8 pipelined shards on one connection (26k msg/s
 * of network at 30 ms) need at most two workers, and at Telegram's usual 50-150 ms RTT one.
 */
const AUTO_MAX_SHARDS = 8;
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
 * Ids per shard at most: with `lanes` shards per task and two tasks fetched ahead of the writer,
 * at most 2 × lanes × 500 messages wait in memory.
 */
const MAX_SHARD_SIZE = 500;

/**
 * Exports every chat named in `inputs` (see module comment).
 *
 * @throws {UsageError} for bad chat references, unknown chats or an unwritable output (exit 2)
 * @throws {StoppedError} on TAKEOUT_INIT_DELAY or when stopped (exit 75, resumable)
 * @throws {PartialFailureError} when some chats or media failed, each reported (exit 3)
 */
export async function exportChats(inputs: string[], opts: ExportOptions): Promise<ExportReport> {
  const t0 = performance.now();
  const emit: Emit = opts.emit ?? (() => {});
  if (inputs.length === 0) throw new UsageError("Name at least one chat to export");
  const targets = inputs.map(parseExportTarget);
  await checkWritable(opts.out);
  const store = await openProgressStore(opts.kv, { createParent: true, signal: opts.signal });
  let client: TgClient | undefined;
  let pool: FetchPool | undefined;
  let accounts: AccountPool<TelegramAccount> | undefined;
  let takeoutId: string | undefined;
  // Takeout is finished with success only when every chat was exported.
  let finished = false;
  let media: MediaPost | undefined;
  // One job per output folder and layout: chats keep their checkpoints whatever else a run names.
  const jobKey = JSON.stringify({ out: resolve(opts.out), layout: opts.layout });
  try {
    const { job } = await store.startJob({
      command: "export",
      key: jobKey,
      args: `${inputs.join(" ")} -> ${opts.out}`,
    });
    const account: AccountConfig = {
      apiId: opts.access.apiId!,
      apiHash: opts.access.apiHash!,
      session: await loadSession({ file: opts.access.sessionFile, sessionString: opts.access.sessionString }),
      endpoints: opts.access.endpoints,
    };
    // Fetch workers load GramJS and connect (~0.6 s) while this thread connects and resolves.
    const workers = Math.min(opts.shards ?? MAX_WORKERS, opts.fetchWorkers ?? AUTO_FETCH_WORKERS);
    if (workers > 0 && account.apiId && account.apiHash && account.session) {
      pool = _fetchPool(workers);
      _warmUp(pool, account, opts.signal);
    }
    // the other accounts only download media: without media the session's own is enough
    const access = opts.mediaKinds.size > 0 ? opts.accounts ?? [opts.access] : [opts.access];
    accounts = await openAccountPool(access.map(accountSpec), {
      connections: opts.connections ?? 8,
      stallMs: 30_000,
      emit,
      signal: opts.signal,
    });
    client = accounts.accounts[0].client;
    const chats: Array<{ chat: ResolvedChat; topicId?: number }> = [];
    for (const t of targets) {
      chats.push({ chat: await resolveChat(client, t.chat, { signal: opts.signal }), topicId: t.topicId });
    }
    // Every run exports every named chat again (incrementally), so its item counters restart.
    await store.updateJob(job.id, { items: chats.length });
    await store.addProgress(job.id, {
      itemsDone: -job.totals.itemsDone,
      itemsFailed: -job.totals.itemsFailed,
    });
    if (opts.takeout) {
      takeoutId = await initTakeout(client, {
        files: opts.mediaKinds.size > 0,
        maxFileSize: opts.maxMediaSize,
      });
    }
    if (opts.media && opts.mediaKinds.size > 0) {
      media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal });
    }
    const postProcess: MediaPostProcess | undefined = media
      ? (msg, path, signal) => media!.process(msg, path, signal)
      : opts.postProcess;
    const ledger = new KvPartLedger(store, job.id);
    const fetchMedia = opts.mediaKinds.size > 0
      ? poolMediaFetch(accounts, {
        ledger,
        inFlight: new Limiter(PARTS_IN_FLIGHT * accounts.accounts.length),
        partConcurrency: opts.partConcurrency,
        emit,
      })
      : undefined;
    const report: ExportReport = {
      job: job.id,
      out: opts.out,
      chats: [],
      messages: 0,
      fetched: 0,
      media_files: 0,
      media_failed: 0,
      failed: 0,
      shards: 0,
      elapsed_ms: 0,
    };
    emit({ type: "start", command: "export", job: job.id, total_items: chats.length });
    for (const { chat, topicId } of chats) {
      const item = `chat:${chat.id}${topicId !== undefined ? `/${topicId}` : ""}`;
      emit({ type: "item_start", item, name: chat.title });
      try {
        if (chat.kind === "forum" && (opts.topics || topicId !== undefined)) {
          const topics: Topic[] = await listForumTopics(client, chat, { takeoutId, signal: opts.signal });
          chat.topics = topicId !== undefined ? topics.filter((t) => t.id === topicId) : topics;
        }
        const bounds: IdBounds = await resolveBounds(client, chat, { ...opts, topicId, takeoutId });
        const span = Math.max(0, bounds.upTo - bounds.after);
        const shards = opts.shards ?? Math.max(1, Math.min(AUTO_MAX_SHARDS, Math.ceil(span / 2000)));
        report.shards = Math.max(report.shards, shards);
        pool ??= workers > 0 ? _fetchPool(workers) : new LocalFetchPool(client);
        const posts: number[] = [];
        const res = await exportChat(chat, {
          out: opts.out,
          layout: opts.layout,
          mediaKinds: opts.mediaKinds,
          maxMediaSize: opts.maxMediaSize,
          refresh: opts.refresh ?? false,
          store,
          jobId: job.id,
          pool,
          account,
          bounds,
          shardSize: opts.shardSize ?? Math.max(100, Math.min(MAX_SHARD_SIZE, Math.ceil(span / shards))),
          lanes: Math.ceil(shards / pool.size),
          topicId,
          takeoutId,
          fetchMedia,
          mediaConcurrency: opts.concurrency,
          postProcess,
          onMessage: (m: Message) => void (m.comments && m.comments.count > 0 && posts.push(m.id)),
          emit,
          signal: opts.signal,
        });
        report.chats.push(res);
        report.messages += res.messages;
        report.fetched += res.fetched;
        report.media_files += res.media_files;
        report.media_failed += res.media_failed;
        if (opts.comments && chat.kind === "channel" && posts.length > 0) {
          const c = await exportComments(client, chat, {
            posts,
            out: opts.out,
            layout: opts.layout,
            mediaKinds: opts.mediaKinds,
            takeoutId,
            signal: opts.signal,
          });
          if (c) report.chats.push(c);
        }
        await store.addProgress(job.id, { itemsDone: 1 });
        emit({
          type: "item_done",
          item,
          name: `${chat.title} (${res.messages} messages)`,
          path: `chats/${chat.id}`,
        });
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        const e = toTgpipeError(err);
        if (e instanceof StoppedError) throw e;
        report.failed++;
        await store.addProgress(job.id, { itemsFailed: 1 });
        emit({ type: "item_failed", item, error: { code: e.code, message: e.message, data: { ...e.data } } });
      }
    }
    await media?.close();
    await writeRootIndex(opts.out, opts.signal);
    report.elapsed_ms = Math.round(performance.now() - t0);
    const bad = report.failed + report.media_failed;
    await store.updateJob(job.id, { state: bad > 0 ? "failed" : "done", items: chats.length });
    emit({
      type: "done",
      command: "export",
      exit_code: bad > 0 ? 3 : 0,
      items_done: report.chats.length,
      items_failed: report.failed,
      items_skipped: 0,
      bytes: 0,
      elapsed_ms: report.elapsed_ms,
    });
    if (bad > 0) {
      throw Object.assign(new PartialFailureError(bad, report.messages + report.failed), { report });
    }
    finished = true;
    return report;
  } catch (err) {
    if (opts.signal?.aborted) {
      await store.startJob({ command: "export", key: jobKey }).then(({ job }) =>
        store.updateJob(job.id, { state: "stopped" })
      )
        .catch(() => {});
      const reason = opts.signal.reason;
      throw reason instanceof StoppedError
        ? reason
        : new StoppedError("Stopped; run the same command again to resume");
    }
    throw err;
  } finally {
    // workers first: they hold their own connections
    pool?.terminate();
    media?.pool.terminate();
    if (takeoutId !== undefined && client) await finishTakeout(client, takeoutId, finished);
    await accounts?.close();
    store.close();
  }
}

function _fetchPool(workers: number): FetchPool {
  return new WorkerPool(new URL("../../../workers/fetch_worker.ts", import.meta.url), {
    size: workers,
    queueSize: workers * 4,
  });
}

/** One empty history task per worker: each loads GramJS and connects; failures show up later. */
function _warmUp(pool: FetchPool, account: AccountConfig, signal?: AbortSignal): void {
  const none: ResolvedChat = { id: 0, kind: "channel", title: "", peer: "" };
  for (let i = 0; i < pool.size; i++) {
    const task: HistoryShardTask = { kind: "history_shard", account, chat: none, shards: [] };
    pool.submit(task, { signal }).then((h) => h.result).catch(() => {});
  }
}
