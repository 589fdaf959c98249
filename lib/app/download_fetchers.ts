/**
 * Who fetches file parts for `download`: one Fetcher per account, fetching on the main thread
 * over the account's FilePool, or through fetch workers that open their own connections and write
 * parts into the partial file themselves.
 */
import type { FileHashRange, FileSource, PartWriter } from "../engine/file_source.ts";
import { WorkerPool } from "../engine/worker_pool.ts";
import type { Emit } from "../progress/events.ts";
import type { TgClient } from "../telegram/client.ts";
import { type AccountConfig, connectFiles, type FileAccess } from "../telegram/connect_files.ts";
import type { RemoteFile } from "../telegram/remote_file.ts";
import { loadSession } from "../telegram/session_store.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../telegram/fetch_task.ts";
import { connectAccount, type TelegramAccess } from "./telegram_access.ts";

/** One account's way of fetching files. */
export interface Fetcher {
  client: TgClient;
  source(file: RemoteFile): FileSource;
  /** Set when parts are fetched and written by workers. */
  partWriter?(file: RemoteFile): PartWriter;
  /** upload.getFileHashes of a file (also with --no-verify: --skip-same compares files by them). */
  hashes(file: RemoteFile, signal?: AbortSignal): Promise<FileHashRange[]>;
  /** True while the account waits out a FLOOD_WAIT. */
  paused(): boolean;
  close(): Promise<void>;
}

/** Options of {@link openFetchers}. */
export interface FetcherOptions {
  workers: number;
  connections: number;
  verify: boolean;
  /** File requests (parts, hashes) with no answer after this long are retried. */
  stallMs?: number;
  emit: Emit;
  signal?: AbortSignal;
}

/** Connects every account (LoginRequiredError, exit 4, when one is not logged in). */
export async function openFetchers(accounts: TelegramAccess[], opts: FetcherOptions): Promise<Fetcher[]> {
  const out: Fetcher[] = [];
  try {
    for (const access of accounts) out.push(await _open(access, opts));
  } catch (err) {
    await Promise.all(out.map((f) => f.close()));
    throw err;
  }
  return out;
}

async function _open(access: TelegramAccess, opts: FetcherOptions): Promise<Fetcher> {
  let pausedUntil = 0;
  let label = "";
  // pause events of this account mark it busy, so new files go to another account meanwhile
  const emit: Emit = (e) => {
    if (e.type === "pause" && e.reason === "flood_wait" && (!e.account || e.account === label)) {
      pausedUntil = Date.now() + e.seconds * 1000;
    }
    if (e.type === "resume" && (!e.account || e.account === label)) pausedUntil = 0;
    opts.emit(e);
  };
  const client = await connectAccount(access, { emit, signal: opts.signal });
  label = client.account;
  let files: FileAccess;
  try {
    files = await connectFiles(client, {
      connections: opts.connections,
      callTimeoutMs: opts.stallMs,
      emit,
      signal: opts.signal,
    });
  } catch (err) {
    await client.close();
    throw err;
  }
  const base: Fetcher = {
    client,
    source: (f) => files.source(f, { verify: opts.verify }),
    hashes: (f, signal) => files.source(f, { verify: true }).hashes!(signal ?? new AbortController().signal),
    paused: () => Date.now() < pausedUntil,
    close: async () => {
      await files.close();
      await client.close();
    },
  };
  if (opts.workers <= 0) return base;
  const config: AccountConfig = {
    apiId: access.apiId!,
    apiHash: access.apiHash!,
    session: (await loadSession({ file: access.sessionFile, sessionString: access.sessionString }))!,
    endpoints: access.endpoints,
  };
  const pool = new WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>(
    new URL("../../workers/fetch_worker.ts", import.meta.url),
    // parts mostly wait on the network: each worker keeps many in flight over its connections
    // (the download's own limits bound how many exist); one at a time left a worker idle
    { size: opts.workers, queueSize: opts.workers * 64, perWorker: 64 },
  );
  return {
    ...base,
    partWriter: (file) => async (part, partPath, signal) => {
      const res = await pool.run(
        { kind: "file_parts", account: config, file, partPath, parts: [part], connections: opts.connections },
        {
          signal,
          onEvent: (e) => e.kind === "log" && opts.emit({ type: "log", level: "debug", message: e.message }),
        },
      );
      return res.bytes;
    },
    close: async () => {
      await pool.close();
      await base.close();
    },
  };
}
