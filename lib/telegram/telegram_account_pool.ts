/**
 * The account pool over Telegram: every account (user session or bot token) connected, each with
 * its FilePool of connections per DC, or with fetch workers that open their own connections and
 * write parts into the partial file themselves. A FLOOD_WAIT pauses only its account (pause and
 * resume events say so) and is handed over to another account when one is free or frees up
 * clearly sooner, instead of being slept out.
 */
import type { AccountPool, FileAccount, UploadAccount } from "../engine/account_pool.ts";
import type { UploadLimits } from "../engine/upload_plan.ts";
import type { FileHashRange, FileSource, PartWriter } from "../engine/file_source.ts";
import { WorkerStartError } from "../core/errors.ts";
import { WorkerPool } from "../engine/worker_pool.ts";
import type { Emit } from "../progress/events.ts";
import type { TgClient } from "./client.ts";
import { type AccountSpec, connectAccount } from "./connect_account.ts";
import { type AccountConfig, connectFiles, type FileAccess } from "./connect_files.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult, FilePartsTask } from "./fetch_task.ts";
import type { RemoteFile } from "./remote_file.ts";
import { readUploadLimits, telegramUploadLane } from "./upload_access.ts";
import { writeParts } from "./write_parts.ts";

/** One connected account of the pool. */
export interface TelegramAccount extends FileAccount<RemoteFile>, UploadAccount {
  readonly client: TgClient;
  /** upload.getFileHashes of a file (also with --no-verify: --skip-same compares files by them). */
  hashes(file: RemoteFile, signal?: AbortSignal): Promise<FileHashRange[]>;
}

/** Options of {@link openAccountPool}. */
export interface AccountPoolOptions {
  /** Fetch workers per account (each with its own connections); 0 = the main thread. Default 0. */
  workers?: number;
  /** The fetch worker's module; default workers/fetch_worker.ts (tests give one that cannot start). */
  fetchWorkerUrl?: URL;
  /** Connections per DC per account (or per worker). Default 8. */
  connections?: number;
  /** Verify files with upload.getFileHashes. Default true. */
  verify?: boolean;
  /** File requests (parts, hashes) with no answer after this long are retried. */
  stallMs?: number;
  emit: Emit;
  signal?: AbortSignal;
}

type _WriterOf = (file: RemoteFile, setHandingOff: (v: boolean) => void) => PartWriter;

interface _Account extends TelegramAccount {
  close(): Promise<void>;
}

// A flood wait is handed over (not slept) only to an account free now or at least this much sooner.
const HANDOFF_MARGIN_MS = 1000;

/**
 * Connects every account, in order (the first one is the main account); LoginRequiredError
 * (exit 4) when one is not logged in, and none stays connected then.
 */
export async function openAccountPool(
  specs: AccountSpec[],
  opts: AccountPoolOptions,
): Promise<AccountPool<TelegramAccount>> {
  if (specs.length === 0) throw new RangeError("An account pool needs at least one account");
  const out: _Account[] = [];
  let closing: Promise<void> | undefined;
  const close = () => closing ??= Promise.all(out.map((a) => a.close())).then(() => {});
  try {
    for (const spec of specs) out.push(await _open(spec, opts, out));
  } catch (err) {
    await close();
    throw err;
  }
  return { accounts: out, close };
}

async function _open(spec: AccountSpec, opts: AccountPoolOptions, peers: _Account[]): Promise<_Account> {
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
  const client = await connectAccount(spec, { emit, signal: opts.signal });
  label = client.account;
  let files: FileAccess;
  try {
    files = await connectFiles(client, {
      connections: opts.connections ?? 8,
      callTimeoutMs: opts.stallMs,
      handoff,
      dcKeys: spec.dcKeyDir
        ? { dir: spec.dcKeyDir, apiId: spec.apiId, endpoints: spec.endpoints }
        : undefined,
      emit,
      signal: opts.signal,
    });
  } catch (err) {
    await client.close();
    throw err;
  }
  const verify = opts.verify ?? true;
  const workers = opts.workers ?? 0;
  const writer = workers > 0 ? _workerWriter(client, spec, opts, { emit, handoff, label, files }) : undefined;
  let limits: Promise<UploadLimits> | undefined;
  return {
    client,
    get label() {
      return label;
    },
    pausedUntil: ownPause,
    lane: (file) => ({
      pausedUntil: ownPause,
      source: () => files.source(file, { verify }),
      partWriter: writer && (() => writer.partWriter(file, (v) => handingOff = v)),
    }),
    uploadLane: () => telegramUploadLane(client, files.pool, ownPause),
    uploadLimits: (signal) =>
      limits ??= readUploadLimits(client, signal).catch((err) => {
        limits = undefined; // a failed read is asked again next time
        throw err;
      }),
    hashes: (f, signal) => files.source(f, { verify: true }).hashes!(signal ?? new AbortController().signal),
    close: async () => {
      endPause();
      await writer?.pool.close();
      await files.close();
      await client.close();
    },
  };
}

/**
 * Parts fetched and written by fetch workers, each opening its own connections for the account;
 * by this thread's connections (`files`) when the workers cannot start (a WorkerStartError: the
 * part never reached one), after one warning, instead of retrying parts that fail the same way.
 */
function _workerWriter(
  client: TgClient,
  spec: AccountSpec,
  opts: AccountPoolOptions,
  own: { emit: Emit; handoff: (seconds: number) => boolean; label: string; files: FileAccess },
): { pool: WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>; partWriter: _WriterOf } {
  const workers = opts.workers ?? 0;
  const connections = opts.connections ?? 8;
  const config: AccountConfig = {
    apiId: spec.apiId,
    apiHash: spec.apiHash,
    // the connected session (a bot's too), so workers need no file or token of their own
    session: client.exportSession(),
    endpoints: spec.endpoints,
    proxy: spec.proxy,
    // the same store as this thread's: a worker's new key serves the next run too
    dcKeyDir: spec.dcKeyDir,
  };
  const pool = new WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>(
    new URL("../../workers/fetch_worker.ts", import.meta.url),
    // parts mostly wait on the network: each worker keeps many in flight over its connections
    // (the download's own limits bound how many exist); one at a time left a worker idle
    { size: workers, queueSize: workers * 64, perWorker: 64, testUrl: opts.fetchWorkerUrl },
  );
  let warned = false;
  const warnOnce = () => {
    if (warned) return;
    warned = true;
    own.emit({
      type: "warning",
      code: "FETCH_WORKERS_UNAVAILABLE",
      message: `Fetch workers could not start (${pool.startError?.why}); downloading on the main thread`,
    });
  };
  const partWriter: _WriterOf = (file, setHandingOff) => {
    let here: FileSource | undefined;
    const writeHere: PartWriter = (part, partPath, signal) => {
      warnOnce();
      here ??= own.files.source(file, { verify: false });
      return writeParts(here, [part], partPath, { signal });
    };
    return async (part, partPath, signal) => {
      if (pool.startError) return await writeHere(part, partPath, signal);
      // The worker cannot ask this thread on each FLOOD_WAIT: it is told with the task whether to
      // hand the wait over (fail at once) and this thread marks the account paused when it does.
      const task: FilePartsTask = {
        kind: "file_parts",
        account: config,
        file,
        partPath,
        parts: [part],
        connections,
        // only to an account free now: the worker cannot compare this wait with other pauses
        handoff: own.handoff(0),
      };
      setHandingOff(false);
      try {
        const res = await pool.run(task, {
          signal,
          onEvent: (e) => e.kind === "log" && opts.emit({ type: "log", level: "debug", message: e.message }),
        });
        return res.bytes;
      } catch (err) {
        // never sent to a worker: this thread fetches the part instead
        if (err instanceof WorkerStartError) return await writeHere(part, partPath, signal);
        const seconds = _floodSeconds(err);
        if (seconds !== undefined && !signal.aborted) {
          setHandingOff(true);
          own.emit({
            type: "pause",
            reason: "flood_wait",
            seconds,
            account: own.label,
            method: "upload.GetFile",
          });
        }
        throw err;
      }
    };
  };
  return { pool, partWriter };
}

// The seconds of a FLOOD_WAIT that came back from a fetch worker (a TelegramError, code and data kept).
function _floodSeconds(err: unknown): number | undefined {
  const e = err as { code?: unknown; data?: { rpc_code?: unknown; rpc_message?: unknown } } | null;
  if (e?.code !== "TELEGRAM" || e.data?.rpc_code !== 420) return undefined;
  const m = /_(\d+)$/.exec(String(e.data.rpc_message));
  return m ? Number(m[1]) : undefined;
}
