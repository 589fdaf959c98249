import { NotFoundError } from "../../core/errors.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { Job } from "../../store/progress_store.ts";
import { storeExists } from "../../store/store_location.ts";
import { findJob } from "./find_job.ts";

/** One job as `status` prints it (snake_case: this is the --json shape). */
export interface JobSummary {
  id: string;
  command: string;
  args: string;
  /** What the job reads (chats, links, files), from its args. */
  input: string;
  /** Where it writes (a folder, a chat, a remote), from its args; "" when it has none. */
  output: string;
  state: Job["state"];
  /** Percent done (bytes when the byte total is known, else items), or null when unknown. */
  progress: number | null;
  items: number;
  items_done: number;
  items_failed: number;
  bytes: number;
  bytes_done: number;
  created_at: string;
  updated_at: string;
}

/** One job in detail: the summary plus its meta and shard cursors. */
export interface JobDetail extends JobSummary {
  meta: Record<string, unknown>;
  cursors: Record<string, unknown>;
}

/** What `status` found: every job, or the one asked for. */
export type StatusReport = { kv: string; jobs: JobSummary[] } | { kv: string; job: JobDetail };

/** Options of `status`. */
export interface StatusOptions {
  /** Progress store location (resolved in lib/cli). */
  kv: string;
  /** A job id or unique id prefix; all jobs when absent. */
  job?: string;
  signal?: AbortSignal;
}

/**
 * Lists the jobs of the progress store, or one job in detail. A store file that does not exist
 * yet counts as empty and is not created.
 */
export async function status(opts: StatusOptions): Promise<StatusReport> {
  if (!(await storeExists(opts.kv))) {
    if (opts.job === undefined) return { kv: opts.kv, jobs: [] };
    throw new NotFoundError(`No job "${opts.job}": the progress store ${opts.kv} does not exist yet`, "job");
  }
  const store = await openProgressStore(opts.kv, { signal: opts.signal });
  try {
    if (opts.job === undefined) return { kv: opts.kv, jobs: (await store.listJobs()).map(summarizeJob) };
    const job = await findJob(store, opts.job);
    const cursors = Object.fromEntries(await store.listCursors(job.id));
    return {
      kv: opts.kv,
      job: { ...summarizeJob(job), meta: _jsonSafe(job.meta), cursors: _jsonSafe(cursors) },
    };
  } finally {
    store.close();
  }
}

/** The printable summary of a job. */
export function summarizeJob(job: Job): JobSummary {
  const t = job.totals;
  const ratio = t.bytes > 0 ? t.bytesDone / t.bytes : t.items > 0 ? t.itemsDone / t.items : undefined;
  return {
    id: job.id,
    command: job.command,
    args: job.args,
    ..._inputOutput(job.args),
    state: job.state,
    progress: ratio === undefined ? null : Math.min(100, Math.floor(ratio * 1000) / 10),
    items: t.items,
    items_done: t.itemsDone,
    items_failed: t.itemsFailed,
    bytes: t.bytes,
    bytes_done: t.bytesDone,
    created_at: new Date(job.createdAt).toISOString(),
    updated_at: new Date(job.updatedAt).toISOString(),
  };
}

// every command's args read "<inputs> -> <output>"
function _inputOutput(args: string): { input: string; output: string } {
  const at = args.lastIndexOf(" -> ");
  return at < 0 ? { input: args, output: "" } : { input: args.slice(0, at), output: args.slice(at + 4) };
}

// Cursors and meta are structured-clone values; JSON output needs bigints and bytes spelled out.
function _jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Uint8Array) return { bytes: v.length };
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof Set) return [...v];
    return v;
  }));
}
