/**
 * The job runner's vocabulary: what a command hands it (items and a per-item step) and what it
 * gives back (a report with the one exit code of the run). See lib/engine/job_runner.ts.
 */
import { ExitCode, type ExitCodeValue } from "../core/exit_codes.ts";
import type { Emit } from "../progress/events.ts";
import type { ProgressStore } from "../store/progress_store.ts";

/** One unit of work of a job. */
export interface JobItem {
  /** Stable across runs (a message's file, a chat, a path): resume and events key on it. */
  id: string;
  /** A name for people (bars, plain lines); default the id. */
  name?: string;
  /** Planned size in bytes, when known before the work. */
  bytes?: number;
}

/** What a step tells the runner about its finished item. */
export interface StepOutcome {
  /** Bytes the item produced or moved. */
  bytes?: number;
  /** The item needed no work (already there, cached). */
  skipped?: boolean;
  /** Where the result is, for the item_done event. */
  path?: string;
  /** A name for the item_done event when it differs from the planned one. */
  name?: string;
  /** Parts of the item that failed inside it (each already reported): the run ends with exit 3. */
  partial?: number;
}

/** What a step gets besides its item. */
export interface StepContext {
  /** Aborted when the run stops (Ctrl-C, --max-runtime): checkpoint and return or throw. */
  signal: AbortSignal;
  /** 1 on the first attempt of this item in this run. */
  attempt: number;
  jobId: string;
  emit: Emit;
}

/** What the planner gets: the job record exists, the run's stop signal. */
export interface PlanContext {
  jobId: string;
  /** True when an earlier run of the same job exists. */
  resumed: boolean;
  signal: AbortSignal;
}

/** A plan: a list (its totals go into the start event) or a stream of items found as it goes. */
export type JobPlan<T extends JobItem> = Iterable<T> | AsyncIterable<T>;

/** What makes one run: the job identity, the planner and the per-item step. */
export interface JobSpec<T extends JobItem> {
  /** The command that runs (export, download, ...). */
  command: string;
  /** What makes this run the same job as an earlier one (inputs, output folder, ...). */
  key: string;
  /** A short human summary of the arguments; never holds secrets. */
  args?: string;
  /** Lists the items; may throw a UsageError before any item runs. */
  plan(ctx: PlanContext): Promise<JobPlan<T>> | JobPlan<T>;
  /** Does one item; a thrown error fails that item only (or stops the run when stopping). */
  step(item: T, ctx: StepContext): Promise<StepOutcome | void>;
  /**
   * Work after the items (indexes over all of them), before `done`: a throw fails the run as a
   * planner error does, so `done` never reports an outcome the command does not exit with.
   */
  finish?(ctx: { jobId: string; signal: AbortSignal }): Promise<void>;
}

/** A timer the runner uses for --max-runtime and retry delays; tests pass their own. */
export interface RunnerClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/** How {@link JobSpec} runs. */
export interface RunJobOptions {
  store: ProgressStore;
  /** Items at once. Default 1. */
  concurrency?: number;
  /**
   * Items an earlier run finished are skipped without calling the step (resume). Commands whose
   * items are redone incrementally each run (export's chats) turn it off. Default true.
   */
  skipDone?: boolean;
  /** Extra attempts for an item whose error `isRetryable` accepts; it goes back to the queue. Default 0. */
  retries?: number;
  /** Which errors are worth another attempt. Default: none. */
  isRetryable?: (err: unknown) => boolean;
  /**
   * Errors that end the whole run at once because every other item would fail alike (a remote
   * that refuses the credentials); the run rejects with the error. Default: none.
   */
  isFatal?: (err: unknown) => boolean;
  /** Delay before an item's next attempt. Default 1 s × attempt. */
  retryDelayMs?: (attempt: number) => number;
  /** Stop starting items after this long, let the ones in flight checkpoint, exit 75. */
  maxRuntimeMs?: number;
  /** Exit code when every item failed: 3 (default) or 1 (nothing at all was done). */
  allFailedExit?: 1 | 3;
  emit?: Emit;
  signal?: AbortSignal;
  clock?: RunnerClock;
}

/** What a run did; `exit_code` is the run's one exit code (0 done, 3 some items failed). */
export interface JobReport {
  job: string;
  resumed: boolean;
  items: number;
  done: number;
  skipped: number;
  failed: number;
  /** Failures inside finished items (StepOutcome.partial). */
  partial: number;
  bytes: number;
  elapsed_ms: number;
  exit_code: ExitCodeValue;
}

/** The exit code of a finished run: 0, 3 when anything failed, or `allFailedExit` when all did. */
export function exitCodeOf(
  r: Pick<JobReport, "items" | "failed" | "partial">,
  allFailedExit: 1 | 3 = 3,
): ExitCodeValue {
  if (r.failed === 0 && r.partial === 0) return ExitCode.OK;
  if (r.items > 0 && r.failed === r.items && allFailedExit === 1) return ExitCode.FAILED;
  return ExitCode.PARTIAL;
}

/** The real clock. */
export const REAL_CLOCK: RunnerClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
