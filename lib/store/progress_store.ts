import type { StoreKind } from "./store_location.ts";

/** Where a job stands. A `stopped` job resumes when the same command runs again. */
export type JobState = "running" | "done" | "failed" | "stopped";

/** The job states, for validation and help text. */
export const JOB_STATES: readonly JobState[] = ["running", "done", "failed", "stopped"];

/** A job's counters. `items` and `bytes` are the planned totals (0 = unknown yet). */
export interface JobTotals {
  items: number;
  itemsDone: number;
  itemsFailed: number;
  bytes: number;
  bytesDone: number;
}

/** One resumable run of a command, keyed by `jobIdFor(command, key)`. */
export interface Job {
  id: string;
  command: string;
  /** A short human summary of the arguments, e.g. "@channel -> ./out"; never holds secrets. */
  args: string;
  state: JobState;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch of the last write about this job. */
  updatedAt: number;
  totals: JobTotals;
  /** Free-form data the command keeps with its job (structured-clonable values). */
  meta: Record<string, unknown>;
}

/** What `startJob` needs: the job id is derived from command and key. */
export interface StartJobInput {
  command: string;
  /** What makes this run the same job as an earlier one (e.g. the chat id and output dir). */
  key: string;
  args?: string;
  meta?: Record<string, unknown>;
}

/** Changes to a job record: `meta` keys are merged; `items`/`bytes` set the planned totals. */
export interface JobPatch {
  state?: JobState;
  args?: string;
  meta?: Record<string, unknown>;
  items?: number;
  bytes?: number;
}

/** Amounts added to a job's counters; negative values subtract (e.g. a failed item retried). */
export interface ProgressDelta {
  items?: number;
  itemsDone?: number;
  itemsFailed?: number;
  bytes?: number;
  bytesDone?: number;
}

/** A held lease: valid until `expiresAt` (ms since the epoch) unless renewed. */
export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
}

/** Limits of one atomic commit of a batch. */
export interface BatchOptions {
  /** Mutations per commit; default 500 (Deno KV allows 1000). */
  maxMutations?: number;
  /** Estimated bytes per commit; default 800 KB minus headroom (Deno KV allows 800 KiB). */
  maxBytes?: number;
}

/**
 * Queued writes committed together: batched atomics are about 30x faster than single ones.
 * Each method queues and resolves at once, or after the flush it triggered when the queue
 * reached a commit's limits. Nothing is durable until `flush()` resolves.
 */
export interface StoreBatch {
  /** Queues a shard cursor write; the last value queued for a shard wins. */
  setCursor(jobId: string, shard: string, value: unknown): Promise<void>;
  /** Queues a done marker for one item. */
  markItemDone(jobId: string, item: string): Promise<void>;
  /** Queues parts of a file as done; merged into the stored bitmap at flush. */
  markParts(jobId: string, file: string, parts: readonly number[]): Promise<void>;
  /** Queues counter changes; summed with other queued changes. */
  addProgress(jobId: string, delta: ProgressDelta): Promise<void>;
  /** Mutations queued and not yet committed. */
  readonly pending: number;
  /** Commits everything queued so far (in as many atomic commits as the limits need). */
  flush(): Promise<void>;
}

/** tgpipe's progress store: jobs, shard cursors, part bitmaps, item markers and leases. */
export interface ProgressStore {
  readonly location: string;
  readonly kind: StoreKind;
  /** Creates the job for command+key, or resumes it (state back to running). */
  startJob(input: StartJobInput): Promise<{ job: Job; resumed: boolean }>;
  /** The job, or undefined when there is none with this id. */
  getJob(id: string): Promise<Job | undefined>;
  /** Every job, most recently updated first. */
  listJobs(): Promise<Job[]>;
  /** Changes a job record; throws NotFoundError for an unknown job. */
  updateJob(id: string, patch: JobPatch): Promise<Job>;
  /** Adds to a job's counters at once (use a batch for many small updates). */
  addProgress(id: string, delta: ProgressDelta): Promise<void>;
  /** Removes a job and every key it owns (cursors, bitmaps, markers, `<id>/` leases). */
  removeJob(id: string): Promise<boolean>;
  /** Stores the resume point of one shard of a job. */
  setCursor(jobId: string, shard: string, value: unknown): Promise<void>;
  /** The resume point of one shard, or undefined. */
  getCursor(jobId: string, shard: string): Promise<unknown>;
  /** Every shard cursor of a job. */
  listCursors(jobId: string): Promise<Map<string, unknown>>;
  /** Marks parts of a file done (bit i of the bitmap = part i); safe from concurrent writers. */
  markParts(jobId: string, file: string, parts: readonly number[]): Promise<void>;
  /** The file's part bitmap, trimmed after the last set byte; empty when no part is done. */
  getPartBitmap(jobId: string, file: string): Promise<Uint8Array>;
  /** Marks one item (message, file) done. */
  markItemDone(jobId: string, item: string): Promise<void>;
  /** True when the item was marked done. */
  isItemDone(jobId: string, item: string): Promise<boolean>;
  /** Takes the lease if it is free, expired or already ours; undefined when another owner holds it. */
  acquireLease(key: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease we still hold; undefined when it was lost to another owner. */
  renewLease(key: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Gives a lease back; false when we did not hold it. */
  releaseLease(key: string, owner: string): Promise<boolean>;
  /** A new write batch (see StoreBatch). */
  batch(opts?: BatchOptions): StoreBatch;
  /** Closes the store; later calls fail. */
  close(): void;
}
