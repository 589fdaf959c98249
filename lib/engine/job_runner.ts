/**
 * The one job lifecycle of every long command: a command hands over a plan (items with stable
 * ids) and a per-item step; the runner owns the job record in the progress store, resume (items
 * finished before are skipped), concurrency, per-item isolation, retries by error class, the
 * start/item/done events, the report, the exit code (0/3 here, 75 by StoppedError), Ctrl-C and
 * the time budget (--max-runtime: stop starting items, let those in flight checkpoint, exit 75).
 * No Telegram inside: steps bring their own transfers.
 */
import { LoginRequiredError, StoppedError, toTgpipeError } from "../core/errors.ts";
import type { Emit } from "../progress/events.ts";
import {
  exitCodeOf,
  type JobItem,
  type JobPlan,
  type JobReport,
  type JobSpec,
  REAL_CLOCK,
  type RunJobOptions,
} from "./job_types.ts";
import { RunStop } from "./run_stop.ts";

/**
 * Runs one job (see module comment). Resolves with the report (exit_code 0 or 3, or 1 when
 * `allFailedExit` says so); rejects with a StoppedError when stopped (the job record says
 * "stopped" and the same command resumes), or with the planner's error (e.g. a UsageError).
 *
 * @example
 * ```ts
 * const report = await runJob({
 *   command: "download", key: "links -> out",
 *   plan: () => [{ id: "msg:1:2", bytes: 1024 }],
 *   step: async (item, ctx) => ({ bytes: await fetchOne(item, ctx.signal) }),
 * }, { store, concurrency: 8, emit });
 * ```
 */
export async function runJob<T extends JobItem>(spec: JobSpec<T>, opts: RunJobOptions): Promise<JobReport> {
  const clock = opts.clock ?? REAL_CLOCK;
  const t0 = clock.now();
  const emit: Emit = opts.emit ?? (() => {});
  const { store } = opts;
  const stop = new RunStop(opts.signal, { maxRuntimeMs: opts.maxRuntimeMs, clock });
  try {
    stop.signal.throwIfAborted();
    const { job, resumed } = await store.startJob({ command: spec.command, key: spec.key, args: spec.args });
    // Every run walks the whole plan again (items done before count as done), so counters restart.
    await store.addProgress(job.id, {
      itemsDone: -job.totals.itemsDone,
      itemsFailed: -job.totals.itemsFailed,
      bytesDone: -job.totals.bytesDone,
    });
    const report: JobReport = {
      job: job.id,
      resumed,
      items: 0,
      done: 0,
      skipped: 0,
      failed: 0,
      partial: 0,
      bytes: 0,
      elapsed_ms: 0,
      exit_code: 0,
    };
    try {
      const plan = await spec.plan({ jobId: job.id, resumed, signal: stop.signal });
      const list = Symbol.iterator in plan ? [...(plan as Iterable<T>)] : undefined;
      if (list) {
        report.items = list.length;
        const bytes = list.reduce((n, i) => n + (i.bytes ?? 0), 0);
        await store.updateJob(job.id, { items: list.length, bytes });
        emit({
          type: "start",
          command: spec.command,
          job: job.id,
          total_items: list.length,
          total_bytes: bytes,
        });
      } else {
        await store.updateJob(job.id, { items: 0, bytes: 0 });
        emit({ type: "start", command: spec.command, job: job.id });
      }
      const fatal = await _drain(list ?? plan, { spec, opts, report, stop, emit, clock });
      if (fatal !== undefined) throw fatal;
      stop.signal.throwIfAborted();
      await spec.finish?.({ jobId: job.id, signal: stop.signal });
    } catch (err) {
      if (stop.signal.aborted) {
        await store.updateJob(job.id, { state: "stopped" }).catch(() => {});
        throw stop.signal.reason;
      }
      await store.updateJob(job.id, { state: "failed" }).catch(() => {});
      throw err;
    }
    report.exit_code = exitCodeOf(report, opts.allFailedExit);
    report.elapsed_ms = Math.round(clock.now() - t0);
    await store.updateJob(job.id, { state: report.exit_code === 0 ? "done" : "failed", items: report.items });
    emit({
      type: "done",
      command: spec.command,
      exit_code: report.exit_code,
      items_done: report.done,
      items_failed: report.failed,
      items_skipped: report.skipped,
      bytes: report.bytes,
      elapsed_ms: report.elapsed_ms,
    });
    return report;
  } finally {
    stop.dispose();
  }
}

interface _Run<T extends JobItem> {
  spec: JobSpec<T>;
  opts: RunJobOptions;
  report: JobReport;
  stop: RunStop;
  emit: Emit;
  clock: typeof REAL_CLOCK;
}

interface _Work<T> {
  item: T;
  attempt: number;
}

/** Runs the items on `concurrency` lanes; resolves with a fatal error (store, planner), if any. */
async function _drain<T extends JobItem>(plan: JobPlan<T>, run: _Run<T>): Promise<unknown> {
  const { opts, stop } = run;
  const listed = Symbol.iterator in plan;
  const source = listed
    ? (plan as Iterable<T>)[Symbol.iterator]()
    : (plan as AsyncIterable<T>)[Symbol.asyncIterator]();
  const again: _Work<T>[] = [];
  let waiting = 0; // retries whose delay has not ended
  const sleepers: Array<() => void> = [];
  const wake = () => sleepers.splice(0).forEach((f) => f());
  let exhausted = false;
  let fatal: unknown;
  const next = async (): Promise<_Work<T> | undefined> => {
    for (;;) {
      if (stop.signal.aborted || fatal !== undefined) return undefined;
      const retry = again.shift();
      if (retry) return retry;
      if (!exhausted) {
        const r = await source.next();
        if (!r.done) {
          if (!listed) run.report.items++;
          return { item: r.value, attempt: 1 };
        }
        exhausted = true;
      }
      if (waiting === 0) return undefined;
      await new Promise<void>((resolve) => sleepers.push(resolve));
    }
  };
  const requeue = (w: _Work<T>, delayMs: number) => {
    waiting++;
    const settle = (requeued: boolean) => {
      stop.signal.removeEventListener("abort", onStop);
      waiting--;
      if (requeued) again.push({ item: w.item, attempt: w.attempt + 1 });
      wake();
    };
    const onStop = () => {
      cancel();
      settle(false);
    };
    const cancel = run.clock.after(delayMs, () => settle(true));
    stop.signal.addEventListener("abort", onStop, { once: true });
  };
  const lane = async () => {
    for (let w = await next(); w; w = await next()) await _runOne(w, run, requeue);
  };
  const lanes = Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, () =>
    lane().catch((err) => {
      // a store or planner failure ends the run; the other lanes stop starting items
      if (fatal === undefined && !stop.signal.aborted) fatal = err;
      wake();
    }));
  await Promise.all(lanes);
  return fatal;
}

async function _runOne<T extends JobItem>(
  w: _Work<T>,
  run: _Run<T>,
  requeue: (w: _Work<T>, delayMs: number) => void,
): Promise<void> {
  const { spec, opts, report, stop, emit } = run;
  const { store } = opts;
  const { item } = w;
  const name = item.name ?? item.id;
  const jobId = report.job;
  if (w.attempt === 1 && (opts.skipDone ?? true) && await store.isItemDone(jobId, item.id)) {
    report.skipped++;
    report.bytes += item.bytes ?? 0;
    await store.addProgress(jobId, { itemsDone: 1, bytesDone: item.bytes ?? 0 });
    emit({ type: "item_done", item: item.id, name, bytes: item.bytes, skipped: true });
    return;
  }
  if (w.attempt === 1) emit({ type: "item_start", item: item.id, name, total_bytes: item.bytes });
  let out;
  try {
    out = (await spec.step(item, { signal: stop.signal, attempt: w.attempt, jobId, emit })) ?? {};
  } catch (err) {
    if (stop.signal.aborted) return;
    if (err instanceof StoppedError) {
      // a step's own reason to stop (a quota, a takeout awaiting approval) stops the whole run
      stop.stop(err);
      return;
    }
    // the session is gone (revoked, or a key the server does not know): every other item would
    // fail the same way, so the run ends with exit 4 instead of one failure per item
    if (err instanceof LoginRequiredError || opts.isFatal?.(err)) throw err;
    // toTgpipeError keeps a file system error's errno name (ENOSPC, EACCES) as its code
    const e = toTgpipeError(err);
    const error = { code: e.code, message: e.message, data: { ...e.data } };
    if (w.attempt <= (opts.retries ?? 0) && (opts.isRetryable?.(err) ?? false)) {
      const delay = opts.retryDelayMs?.(w.attempt) ?? 1000 * w.attempt;
      emit({ type: "retry", item: item.id, attempt: w.attempt, delay_ms: delay, error });
      requeue(w, delay);
      return;
    }
    report.failed++;
    await store.addProgress(jobId, { itemsFailed: 1 });
    emit({ type: "item_failed", item: item.id, error });
    return;
  }
  // recorded before the event that acknowledges it: a kill now redoes nothing that was done
  if (opts.skipDone ?? true) await store.markItemDone(jobId, item.id);
  await store.addProgress(jobId, { itemsDone: 1, bytesDone: out.bytes ?? 0 });
  if (out.skipped) report.skipped++;
  else report.done++;
  report.bytes += out.bytes ?? 0;
  report.partial += out.partial ?? 0;
  emit({
    type: "item_done",
    item: item.id,
    name: out.name ?? name,
    bytes: out.bytes,
    path: out.path,
    ...(out.skipped ? { skipped: true } : {}),
  });
}
