/**
 * What one export run holds open while its chats are exported: the main client, the history
 * fetch pool (fetch workers, or this thread's connection), the file connections and media
 * post-processors, and the takeout session. Opened before the job runs, closed after it.
 */
import type { MediaKind } from "../../core/message.ts";
import { downloadFile } from "../../engine/download_file.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { WorkerPool } from "../../engine/worker_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { TgClient } from "../../telegram/client.ts";
import { type AccountConfig, connectFiles, type FileAccess } from "../../telegram/connect_files.ts";
import type { HistoryShardTask } from "../../telegram/history_shard.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import { loadSession } from "../../telegram/session_store.ts";
import { finishTakeout, initTakeout } from "../../telegram/takeout.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { connectAccount, type TelegramAccess } from "../shared/telegram_access.ts";
import type { MediaFetch, MediaPostProcess } from "./export_chat.ts";
import { LocalFetchPool } from "./local_fetch_pool.ts";
import type { FetchPool } from "./shard_feed.ts";

/** What {@link openExportSession} needs. */
export interface ExportSessionOptions {
  out: string;
  access: TelegramAccess;
  mediaKinds: ReadonlySet<MediaKind>;
  /** Fetch workers wanted (0 = fetch on this thread). */
  workers: number;
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
  };
  let pool: FetchPool | undefined;
  // Fetch workers load GramJS and connect (~0.6 s) while this thread connects and resolves.
  if (opts.workers > 0 && account.apiId && account.apiHash && account.session) {
    pool = _warmUp(_workerPool(opts.workers), account, signal);
  }
  let client: TgClient;
  try {
    client = await connectAccount(access, { emit, signal });
  } catch (err) {
    pool?.terminate();
    throw err;
  }
  let files: FileAccess | undefined;
  let media: MediaPost | undefined;
  const s: ExportSession = {
    client,
    account,
    postProcess: opts.postProcess,
    fetchPool: () => pool ??= opts.workers > 0 ? _workerPool(opts.workers) : new LocalFetchPool(client),
    async startTakeout(maxFileSize) {
      s.takeoutId = await initTakeout(client, { files: opts.mediaKinds.size > 0, maxFileSize });
    },
    async openMedia(store, jobId) {
      if (opts.mediaKinds.size === 0) return;
      files = await connectFiles(client, { connections: 4, emit, signal });
      if (opts.media) {
        media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal });
        s.postProcess = (msg, path, sig) => media!.process(msg, path, sig);
      }
      s.fetchMedia = _mediaFetch(files, new KvPartLedger(store, jobId), emit);
    },
    finishMedia: async () => await media?.close(),
    async close(finished) {
      // workers first: they hold their own connections
      pool?.terminate();
      media?.pool.terminate();
      if (s.takeoutId !== undefined) await finishTakeout(client, s.takeoutId, finished);
      await files?.close();
      await client.close();
    },
  };
  return s;
}

/** One file at a time over the account's file connections; a file already complete is kept. */
function _mediaFetch(files: FileAccess, ledger: KvPartLedger, emit: Emit): MediaFetch {
  return async (file: RemoteFile, dest: string, signal?: AbortSignal) => {
    const have = await Deno.stat(dest).then((s) => s.size, () => -1);
    if (have === file.size) return true;
    await downloadFile(files.source(file), dest, {
      item: `media:${file.chatId}:${file.messageId}`,
      concurrency: 4,
      ledger,
      signal,
      emit,
      stallMs: 30_000,
    });
    return true;
  };
}

function _workerPool(workers: number): FetchPool {
  return new WorkerPool(new URL("../../../workers/fetch_worker.ts", import.meta.url), {
    size: workers,
    queueSize: workers * 4,
  });
}

/** One empty history task per worker: each loads GramJS and connects; failures show up later. */
function _warmUp(pool: FetchPool, account: AccountConfig, signal?: AbortSignal): FetchPool {
  const none: ResolvedChat = { id: 0, kind: "channel", title: "", peer: "" };
  for (let i = 0; i < pool.size; i++) {
    const task: HistoryShardTask = { kind: "history_shard", account, chat: none, shards: [] };
    pool.submit(task, { signal }).then((h) => h.result).catch(() => {});
  }
  return pool;
}
