/**
 * What one export run holds open while its chats are exported: the main client, the history
 * fetch pool (fetch workers, or this thread's connection), the file connections and media
 * post-processors, and the takeout session. Opened before the job runs, closed after it.
 */
import type { MediaKind } from "../../core/message.ts";
import type { AccountPool } from "../../engine/account_pool.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { Limiter } from "../../engine/limiter.ts";
import { WorkerPool } from "../../engine/worker_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { TgClient } from "../../telegram/client.ts";
import type { AccountConfig } from "../../telegram/connect_files.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../telegram/fetch_task.ts";
import type { HistoryShardTask } from "../../telegram/history_shard.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { loadSession } from "../../telegram/session_store.ts";
import { finishTakeout, initTakeout } from "../../telegram/takeout.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { accountSpec, dcKeyDir, type TelegramAccess } from "../shared/telegram_access.ts";
import type { MediaFetch, MediaPostProcess } from "./export_chat.ts";
import { FallbackFetchPool } from "./fallback_fetch_pool.ts";
import { LocalFetchPool } from "./local_fetch_pool.ts";
import { poolMediaFetch } from "./pool_media_fetch.ts";
import type { FetchPool } from "./shard_feed.ts";

/** What {@link openExportSession} needs. */
export interface ExportSessionOptions {
  out: string;
  access: TelegramAccess;
  /** Accounts sharing the media downloads, `access` first; default [access]. */
  accounts?: TelegramAccess[];
  /** Parts in flight per media file; default by size. */
  partConcurrency?: number;
  /** Connections per DC per account for media. Default 8. */
  connections?: number;
  mediaKinds: ReadonlySet<MediaKind>;
  /** Fetch workers wanted (0 = fetch on this thread). */
  workers: number;
  /** The fetch worker's module; default workers/fetch_worker.ts (tests give one that cannot start). */
  fetchWorkerUrl?: URL;
  media?: MediaPostSettings;
  postProcess?: MediaPostProcess;
  emit: Emit;
  signal?: AbortSignal;
}

/** The open connections and helpers of one export run. */
export interface ExportSession {
  client: TgClient;
  account: AccountConfig;
  /** Set by {@link ExportSession.startTakeout}. */
  takeoutId?: string;
  /** Downloads one media file into place; undefined when no media are exported. */
  fetchMedia?: MediaFetch;
  postProcess?: MediaPostProcess;
  /** The history fetch pool (made on first use). */
  fetchPool(): FetchPool;
  /** Opens the takeout session (TAKEOUT_INIT_DELAY is a StoppedError, exit 75). */
  startTakeout(maxFileSize?: number): Promise<void>;
  /** Opens file connections and media post-processors, once the job exists (its part ledger). */
  openMedia(store: ProgressStore, jobId: string): Promise<void>;
  /** Waits for the media post-processors to finish their queue (the run ended normally). */
  finishMedia(): Promise<void>;
  /** Closes everything; `finished` tells the takeout session whether the export succeeded. */
  close(finished: boolean): Promise<void>;
}

/** Connects the account (LoginRequiredError, exit 4, without a session) and starts the workers. */
export async function openExportSession(opts: ExportSessionOptions): Promise<ExportSession> {
  const { access, emit, signal } = opts;
  const account: AccountConfig = {
    apiId: access.apiId!,
    apiHash: access.apiHash!,
    session: (await loadSession({ file: access.sessionFile, sessionString: access.sessionString }))!,
    endpoints: access.endpoints,
    proxy: access.proxy,
    dcKeyDir: dcKeyDir(access),
  };
  let workers: _Workers | undefined;
  // Fetch workers load GramJS and connect (~0.6 s) while this thread connects and resolves.
  if (opts.workers > 0 && account.apiId && account.apiHash && account.session) {
    workers = _warmUp(_workerPool(opts), account, signal);
  }
  // the other accounts only download media: without media the session's own is enough
  const mediaAccounts = opts.mediaKinds.size > 0 ? opts.accounts ?? [access] : [access];
  let accounts: AccountPool<TelegramAccount>;
  try {
    accounts = await openAccountPool(mediaAccounts.map(accountSpec), {
      connections: opts.connections ?? 8,
      stallMs: 30_000,
      emit,
      signal,
    });
  } catch (err) {
    workers?.terminate();
    throw err;
  }
  const client = accounts.accounts[0].client;
  let pool: FetchPool | undefined;
  let media: MediaPost | undefined;
  const s: ExportSession = {
    client,
    account,
    postProcess: opts.postProcess,
    fetchPool: () =>
      pool ??= opts.workers > 0
        ? new FallbackFetchPool(workers ?? _workerPool(opts), () => new LocalFetchPool(client), emit)
        : new LocalFetchPool(client),
    async startTakeout(maxFileSize) {
      s.takeoutId = await initTakeout(client, { files: opts.mediaKinds.size > 0, maxFileSize });
    },
    async openMedia(store, jobId) {
      if (opts.mediaKinds.size === 0) return;
      if (opts.media) {
        media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal });
        s.postProcess = (msg, path, sig) => media!.process(msg, path, sig);
      }
      s.fetchMedia = poolMediaFetch(accounts, {
        ledger: new KvPartLedger(store, jobId),
        // media parts in flight per account, over all files (as download: 48 kept 8 connections busy)
        inFlight: new Limiter(48 * accounts.accounts.length),
        partConcurrency: opts.partConcurrency,
        emit,
      });
    },
    finishMedia: async () => await media?.close(),
    async close(finished) {
      // workers first: they hold their own connections
      (pool ?? workers)?.terminate();
      media?.pool.terminate();
      if (s.takeoutId !== undefined) await finishTakeout(client, s.takeoutId, finished);
      await accounts.close();
    },
  };
  return s;
}

type _Workers = WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>;

function _workerPool(opts: ExportSessionOptions): _Workers {
  return new WorkerPool(new URL("../../../workers/fetch_worker.ts", import.meta.url), {
    size: opts.workers,
    queueSize: opts.workers * 4,
    testUrl: opts.fetchWorkerUrl,
  });
}

/** One empty history task per worker: each loads GramJS and connects; failures show up later. */
function _warmUp(pool: _Workers, account: AccountConfig, signal?: AbortSignal): _Workers {
  const none: ResolvedChat = { id: 0, kind: "channel", title: "", peer: "" };
  for (let i = 0; i < pool.size; i++) {
    const task: HistoryShardTask = { kind: "history_shard", account, chat: none, shards: [] };
    pool.submit(task, { signal }).then((h) => h.result).catch(() => {});
  }
  return pool;
}
