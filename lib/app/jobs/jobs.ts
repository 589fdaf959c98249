import { NotFoundError } from "../../core/errors.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import { storeExists } from "../../store/store_location.ts";
import { findJob } from "./find_job.ts";

/** Options of `removeJob`. */
export interface RemoveJobOptions {
  /** Progress store location (resolved in lib/cli). */
  kv: string;
  /** A job id or unique id prefix. */
  job: string;
  signal?: AbortSignal;
}

/** What `jobs rm` removed. */
export interface RemoveJobResult {
  kv: string;
  removed: string;
  command: string;
  state: string;
}

/**
 * Removes a job and every key it owns (cursors, part bitmaps, done markers, its leases), so the
 * same command starts from scratch next time. An unknown job is a NotFoundError (exit 2).
 */
export async function removeJob(opts: RemoveJobOptions): Promise<RemoveJobResult> {
  if (!(await storeExists(opts.kv))) {
    throw new NotFoundError(`No job "${opts.job}": the progress store ${opts.kv} does not exist yet`, "job");
  }
  const store = await openProgressStore(opts.kv, { signal: opts.signal });
  try {
    const job = await findJob(store, opts.job);
    await store.removeJob(job.id);
    return { kv: opts.kv, removed: job.id, command: job.command, state: job.state };
  } finally {
    store.close();
  }
}
