/**
 * Who fetches file parts for `download`: one Fetcher per account, fetching on the main thread
 * over the account's FilePool, or through fetch workers that open their own connections and write
 * parts into the partial file themselves.
 */
import type { FileHashRange, FileSource, PartWriter } from "../../engine/file_source.ts";
import type { FileLane } from "../../engine/shared_file.ts";
import { WorkerPool } from "../../engine/worker_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { TgClient } from "../../telegram/client.ts";
import { type AccountConfig, connectFiles, type FileAccess } from "../../telegram/connect_files.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { loadSession } from "../../telegram/session_store.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult, FilePartsTask } from "../../telegram/fetch_task.ts";
import { connectAccount, type TelegramAccess } from "../shared/telegram_access.ts";

/** One account's way of fetching files. */
export interface Fetcher {
  client: TgClient;
  source(file: RemoteFile): FileSource;
  /** Set when parts are fetched and written by workers. */
  partWriter?(file: RemoteFile): PartWriter;
  /** upload.getFileHashes of a file (also with --no-verify: --skip-same compares files by them). */
  hashes(file: RemoteFile, signal?: AbortSignal): Promise<FileHashRange[]>;
  /** Until when (ms since the epoch) the account waits out a FLOOD_WAIT; 0 or past = free. */
  pausedUntil(): number;
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
    for (const access of accounts) out.push(await _open(access, opts, out));
  } catch (err) {
    await Promise.all(out.map((f) => f.close()));
    throw err;
  }
  return out;
}

/** The lanes of one file for shareFile, one per account in the given order (the file's own first). */
export function fileLanes(fetchers: Fetcher[], file: RemoteFile): FileLane[] {
  return fetchers.map((x) => ({
    pausedUntil: x.pausedUntil,
    source: () => x.source(file),
    partWriter: x.partWriter && (() => x.partWriter!(file)),
  }));
}

// A flood wait is handed over (not slept) only to an account free now or at least this much sooner.
const HANDOFF_MARGIN_MS = 1000;

async function _open(access: TelegramAccess, opts: FetcherOptions, peers: Fetcher[]): Promise<Fetcher> {
  let pausedUntil = 0;
  let label = "";
  let handingOff = false;
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  const endPause = () => {
    clearTimeout(resumeTimer);
    resumeTimer = undefined;
    pausedUntil = 0;
  };
  // pause events of this account mark it busy, so its work goes to another account meanwhile
  const emit: Emit = (e) => {
    const account = "account" in e ? e.account : undefined;
    const mine = !account || account === label;
    if (e.type === "pause" && e.reason === "flood_wait" && mine) {
      endPause();
      pausedUntil = Date.now() + e.seconds * 1000;
      if (handingOff) {
        handingOff = false;
        // No call sleeps a handed-off wait, so none would say it ended: this timer does (and
        // close() clears it, so it never outlives the run).
        resumeTimer = setTimeout(() => {
          endPause();
          opts.emit({ type: "resume", reason: "flood_wait", account: label });
        }, e.seconds * 1000);
      }
    }
    if (e.type === "resume" && mine) endPause();
    opts.emit(e);
  };
  const ownPause = () => pausedUntil;
  // CallPolicy.handoff: another account is free, or frees up clearly sooner than this wait
  const handoff = (seconds: number) => {
    const now = Date.now();
    handingOff = peers.some((p) =>
      p.pausedUntil !== ownPause &&
      (p.pausedUntil() <= now || p.pausedUntil() + HANDOFF_MARGIN_MS < now + seconds * 1000)
    );
    return handingOff;
  };
  const client = await connectAccount(access, { emit, signal: opts.signal });
  label = client.account;
  let files: FileAccess;
  try {
    files = await connectFiles(client, {
      connections: opts.connections,
      callTimeoutMs: opts.stallMs,
      handoff,
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
    pausedUntil: ownPause,
    close: async () => {
      endPause();
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
    new URL("../../../workers/fetch_worker.ts", import.meta.url),
    // parts mostly wait on the network: each worker keeps many in flight over its connections
    // (the download's own limits bound how many exist); one at a time left a worker idle
    { size: opts.workers, queueSize: opts.workers * 64, perWorker: 64 },
  );
  return {
    ...base,
    partWriter: (file) => async (part, partPath, signal) => {
      // The worker cannot ask this thread on each FLOOD_WAIT: it is told with the task whether to
      // hand the wait over (fail at once) and this thread marks the account paused when it does.
      const task: FilePartsTask = {
        kind: "file_parts",
        account: config,
        file,
        partPath,
        parts: [part],
        connections: opts.connections,
        // only to an account free now: the worker cannot compare this wait with other pauses
        handoff: handoff(0),
      };
      handingOff = false;
      try {
        const res = await pool.run(task, {
          signal,
          onEvent: (e) => e.kind === "log" && opts.emit({ type: "log", level: "debug", message: e.message }),
        });
        return res.bytes;
      } catch (err) {
        const seconds = _floodSeconds(err);
        if (seconds !== undefined && !signal.aborted) {
          handingOff = true;
          emit({ type: "pause", reason: "flood_wait", seconds, account: label, method: "upload.GetFile" });
        }
        throw err;
      }
    },
    close: async () => {
      await pool.close();
      await base.close();
    },
  };
}

// The seconds of a FLOOD_WAIT that came back from a fetch worker (a TelegramError, code and data kept).
function _floodSeconds(err: unknown): number | undefined {
  const e = err as { code?: unknown; data?: { rpc_code?: unknown; rpc_message?: unknown } } | null;
  if (e?.code !== "TELEGRAM" || e.data?.rpc_code !== 420) return undefined;
  const m = /_(\d+)$/.exec(String(e.data.rpc_message));
  return m ? Number(m[1]) : undefined;
}
