import assert from "node:assert/strict";
import { LoginRequiredError, StoppedError, TgpipeError, UsageError } from "../../lib/core/errors.ts";
import { runJob } from "../../lib/engine/job_runner.ts";
import type {
  JobItem,
  JobSpec,
  RunJobOptions,
  RunnerClock,
  StepOutcome,
} from "../../lib/engine/job_types.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import type { ProgressStore } from "../../lib/store/progress_store.ts";

/** Opens a fresh store for one test; `cleanup` runs after it is closed. */
export type RunnerStoreFactory = () => Promise<{ store: ProgressStore; cleanup: () => Promise<void> }>;

/** A clock whose timers fire only when the test advances it. */
export class ManualClock implements RunnerClock {
  t = 0;
  #timers: Array<{ at: number; fn: () => void }> = [];
  now(): number {
    return this.t;
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + ms, fn };
    this.#timers.push(timer);
    return () => void (this.#timers = this.#timers.filter((x) => x !== timer));
  }
  /** Moves time on and fires what came due. */
  advance(ms: number): void {
    this.t += ms;
    const due = this.#timers.filter((x) => x.at <= this.t);
    this.#timers = this.#timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

/** Timers that fire on the next macrotask whatever their delay (retries without waiting). */
const INSTANT: RunnerClock = {
  now: () => Date.now(),
  after(_ms, fn) {
    const t = setTimeout(fn, 0);
    return () => clearTimeout(t);
  },
};

const items = (n: number): JobItem[] => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, bytes: 10 }));

function _spec(list: JobItem[] | (() => AsyncIterable<JobItem>), step: JobSpec<JobItem>["step"]) {
  return {
    command: "test",
    key: "k",
    args: "a -> b",
    plan: () => typeof list === "function" ? list() : list,
    step,
  } satisfies JobSpec<JobItem>;
}

/** Registers the runner's contract tests over one store implementation. */
export function jobRunnerConformance(name: string, factory: RunnerStoreFactory): void {
  const t = (title: string, fn: (store: ProgressStore, events: EventBody[]) => Promise<void>) =>
    Deno.test(`runJob (${name}): ${title}`, async () => {
      const { store, cleanup } = await factory();
      try {
        await fn(store, []);
      } finally {
        store.close();
        await cleanup();
      }
    });
  const opts = (
    store: ProgressStore,
    events: EventBody[],
    more: Partial<RunJobOptions> = {},
  ): RunJobOptions => ({
    store,
    emit: (e) => events.push(e),
    clock: INSTANT,
    ...more,
  });

  t("runs each item once with start, item and done events, exit 0, job done", async (store, events) => {
    const seen: string[] = [];
    const r = await runJob(
      _spec(items(3), (i) => (seen.push(i.id), Promise.resolve({ bytes: 7, path: `/x/${i.id}` }))),
      opts(store, events),
    );
    assert.deepEqual(seen, ["i0", "i1", "i2"]);
    assert.equal(r.exit_code, 0);
    assert.deepEqual([r.items, r.done, r.skipped, r.failed, r.bytes], [3, 3, 0, 0, 21]);
    assert.deepEqual(events.map((e) => e.type), [
      "start",
      ...["item_start", "item_done", "item_start", "item_done", "item_start", "item_done"],
      "done",
    ]);
    assert.deepEqual(events[0], {
      type: "start",
      command: "test",
      job: r.job,
      total_items: 3,
      total_bytes: 30,
    });
    assert.deepEqual(events.at(-1), {
      type: "done",
      command: "test",
      exit_code: 0,
      items_done: 3,
      items_failed: 0,
      items_skipped: 0,
      bytes: 21,
      elapsed_ms: r.elapsed_ms,
    });
    const job = await store.getJob(r.job);
    assert.equal(job?.state, "done");
    assert.deepEqual(job?.totals, { items: 3, itemsDone: 3, itemsFailed: 0, bytes: 30, bytesDone: 21 });
  });

  t("keeps at most `concurrency` steps in flight and runs them all", async (store, events) => {
    let now = 0;
    let peak = 0;
    const r = await runJob(
      _spec(items(12), async () => {
        peak = Math.max(peak, ++now);
        await new Promise((res) => setTimeout(res, 2));
        now--;
      }),
      opts(store, events, { concurrency: 4 }),
    );
    assert.equal(peak, 4);
    assert.equal(r.done, 12);
  });

  t("a failing item is reported and counted; the others finish; exit 3", async (store, events) => {
    const r = await runJob(
      _spec(
        items(3),
        (i) => i.id === "i1" ? Promise.reject(new TgpipeError("Boom", { code: "X" })) : Promise.resolve(),
      ),
      opts(store, events),
    );
    assert.deepEqual([r.done, r.failed, r.exit_code], [2, 1, 3]);
    const failed = events.find((e) => e.type === "item_failed");
    assert.deepEqual(failed, {
      type: "item_failed",
      item: "i1",
      error: { code: "X", message: "Boom", data: {} },
    });
    assert.equal((await store.getJob(r.job))?.state, "failed");
    assert.equal((await store.getJob(r.job))?.totals.itemsFailed, 1);
  });

  t("every item failing is exit 1 when the command says so, else 3", async (store, events) => {
    const fail = () => Promise.reject(new Error("no"));
    assert.equal(
      (await runJob(_spec(items(2), fail), opts(store, events, { allFailedExit: 1 }))).exit_code,
      1,
    );
    assert.equal((await runJob(_spec(items(2), fail), opts(store, events))).exit_code, 3);
  });

  t("partial failures inside finished items make exit 3", async (store, events) => {
    const r = await runJob(_spec(items(2), () => Promise.resolve({ partial: 1 })), opts(store, events));
    assert.deepEqual([r.done, r.failed, r.partial, r.exit_code], [2, 0, 2, 3]);
  });

  t("a rerun skips items done before and redoes the failed ones", async (store, events) => {
    const calls: string[] = [];
    let failI1 = true;
    const step = (i: JobItem): Promise<StepOutcome> => {
      calls.push(i.id);
      if (i.id === "i1" && failI1) return Promise.reject(new Error("flaky"));
      return Promise.resolve({ bytes: 10 });
    };
    const first = await runJob(_spec(items(3), step), opts(store, events));
    assert.equal(first.exit_code, 3);
    failI1 = false;
    calls.length = 0;
    events.length = 0;
    const second = await runJob(_spec(items(3), step), opts(store, events));
    assert.deepEqual(calls, ["i1"]);
    assert.equal(second.resumed, true);
    assert.deepEqual([second.done, second.skipped, second.failed, second.exit_code], [1, 2, 0, 0]);
    assert.equal(events.filter((e) => e.type === "item_done" && e.skipped).length, 2);
    const job = await store.getJob(second.job);
    assert.deepEqual(job?.totals, { items: 3, itemsDone: 3, itemsFailed: 0, bytes: 30, bytesDone: 30 });
    assert.equal(job?.state, "done");
  });

  t("finish runs after the items and before done; a finish that throws fails the run with no done", async (
    store,
    events,
  ) => {
    const at: string[] = [];
    const spec = {
      ..._spec(items(2), () => Promise.resolve()),
      finish: () => (at.push(events.map((e) => e.type).join(",")), Promise.resolve()),
    };
    const r = await runJob(spec, opts(store, events));
    assert.deepEqual(at, ["start,item_start,item_done,item_start,item_done"]);
    assert.equal(events.at(-1)?.type, "done");
    assert.equal(r.exit_code, 0);
    events.length = 0;
    const full = Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
    const failing = {
      ..._spec(items(1), () => Promise.resolve()),
      key: "k2",
      finish: () => Promise.reject(full),
    };
    await assert.rejects(() => runJob(failing, opts(store, events)), /No space left/);
    // before, `done` said exit 0 (or 3) and the command then failed with exit 1
    assert.deepEqual(events.map((e) => e.type), ["start", "item_start", "item_done"]);
    const jobs = await store.listJobs();
    assert.equal(jobs.find((j) => j.id !== r.job)?.state, "failed");
  });

  t("skipDone false calls the step for every item on every run", async (store, events) => {
    let calls = 0;
    const step = () => (calls++, Promise.resolve());
    await runJob(_spec(items(2), step), opts(store, events, { skipDone: false }));
    await runJob(_spec(items(2), step), opts(store, events, { skipDone: false }));
    assert.equal(calls, 4);
  });

  t(
    "retryable errors go back to the queue with a retry event; others fail at once",
    async (store, events) => {
      const attempts = new Map<string, number>();
      const step = (i: JobItem) => {
        const n = (attempts.get(i.id) ?? 0) + 1;
        attempts.set(i.id, n);
        if (i.id === "i0" && n < 3) return Promise.reject(new TgpipeError("Slow", { code: "TRANSIENT" }));
        if (i.id === "i1") return Promise.reject(new TgpipeError("Bad", { code: "FATAL" }));
        return Promise.resolve();
      };
      const r = await runJob(
        _spec(items(3), step),
        opts(store, events, {
          retries: 2,
          isRetryable: (e) => (e as TgpipeError).code === "TRANSIENT",
          concurrency: 2,
        }),
      );
      assert.deepEqual([attempts.get("i0"), attempts.get("i1"), attempts.get("i2")], [3, 1, 1]);
      assert.deepEqual([r.done, r.failed], [2, 1]);
      assert.deepEqual(
        events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.attempt),
        [1, 2],
      );
      assert.equal(events.filter((e) => e.type === "item_start" && e.item === "i0").length, 1);
    },
  );

  t("an item that runs out of retries fails", async (store, events) => {
    const r = await runJob(
      _spec(items(1), () => Promise.reject(new Error("again"))),
      opts(store, events, { retries: 2, isRetryable: () => true }),
    );
    assert.deepEqual([r.failed, events.filter((e) => e.type === "retry").length], [1, 2]);
  });

  t(
    "stopping aborts steps in flight, starts nothing more, records stopped; a rerun finishes",
    async (store) => {
      const ctl = new AbortController();
      const events: EventBody[] = [];
      const started: string[] = [];
      const step = async (i: JobItem, ctx: { signal: AbortSignal }) => {
        started.push(i.id);
        if (i.id === "i2") ctl.abort();
        await new Promise((res, rej) => {
          if (ctx.signal.aborted) return rej(ctx.signal.reason);
          setTimeout(res, 1);
          ctx.signal.addEventListener("abort", () => rej(ctx.signal.reason), { once: true });
        });
      };
      const err = await runJob(_spec(items(6), step), opts(store, events, { signal: ctl.signal })).catch((
        e,
      ) => e);
      assert.ok(err instanceof StoppedError, String(err));
      assert.equal(err.exitCode, 75);
      assert.deepEqual(started, ["i0", "i1", "i2"]);
      assert.equal(events.some((e) => e.type === "done"), false);
      const id = (await store.listJobs())[0].id;
      assert.equal((await store.getJob(id))?.state, "stopped");
      started.length = 0;
      const r = await runJob(_spec(items(6), step), opts(store, []));
      assert.deepEqual(started, ["i2", "i3", "i4", "i5"]);
      assert.deepEqual([r.skipped, r.done, r.exit_code], [2, 4, 0]);
    },
  );

  t(
    "--max-runtime stops starting items when the budget ends and exits 75; the rerun resumes",
    async (store) => {
      const clock = new ManualClock();
      const started: string[] = [];
      const step = (i: JobItem) => {
        started.push(i.id);
        if (i.id === "i1") clock.advance(60_000); // the budget ends while i1 runs
        return Promise.resolve();
      };
      const err = await runJob(_spec(items(4), step), { store, clock, maxRuntimeMs: 60_000 }).catch((e) => e);
      assert.ok(err instanceof StoppedError, String(err));
      assert.equal(err.reason, "max_runtime");
      assert.match(err.message, /^Time budget of 1:00 reached; run the same command again to resume$/);
      assert.deepEqual(started, ["i0", "i1"]);
      const r = await runJob(_spec(items(4), step), {
        store,
        clock: new ManualClock(),
        maxRuntimeMs: 60_000,
      });
      assert.deepEqual(started, ["i0", "i1", "i2", "i3"]);
      assert.deepEqual([r.skipped, r.done], [2, 2]); // i1 finished in flight: it counts as done
    },
  );

  t("a step's own StoppedError (a quota) stops the whole run", async (store, events) => {
    const started: string[] = [];
    const step = (i: JobItem) => {
      started.push(i.id);
      return i.id === "i1" ? Promise.reject(new StoppedError("Quota reached", "quota")) : Promise.resolve();
    };
    const err = await runJob(_spec(items(4), step), opts(store, events)).catch((e) => e);
    assert.equal(err.reason, "quota");
    assert.deepEqual(started, ["i0", "i1"]);
  });

  t(
    "a step's LoginRequiredError (the session died) ends the run with it, no more items",
    async (store, events) => {
      const started: string[] = [];
      const step = (i: JobItem) => {
        started.push(i.id);
        return i.id === "i1"
          ? Promise.reject(new LoginRequiredError("Session gone", "auth_key_unknown"))
          : Promise.resolve();
      };
      const err = await runJob(_spec(items(4), step), opts(store, events)).catch((e) => e);
      assert.ok(err instanceof LoginRequiredError, String(err));
      assert.equal(err.exitCode, 4);
      assert.deepEqual(started, ["i0", "i1"]);
      assert.equal(events.filter((e) => e.type === "item_failed").length, 0);
    },
  );

  t(
    "an error the command calls fatal (isFatal: a remote refusing access) ends the run with it",
    async (store, events) => {
      const started: string[] = [];
      const fatal = new TgpipeError("Remote refused access", { code: "REMOTE_AUTH" });
      const step = (i: JobItem) => {
        started.push(i.id);
        return i.id === "i1" ? Promise.reject(fatal) : Promise.resolve();
      };
      const err = await runJob(_spec(items(4), step), { ...opts(store, events), isFatal: (e) => e === fatal })
        .catch((e) => e);
      assert.equal(err, fatal);
      assert.deepEqual(started, ["i0", "i1"]);
      assert.equal(events.filter((e) => e.type === "item_failed").length, 0);
    },
  );

  t("a streamed plan is counted as it is found", async (store, events) => {
    async function* gen() {
      for (const i of items(5)) {
        await Promise.resolve();
        yield i;
      }
    }
    const r = await runJob(_spec(gen, () => Promise.resolve()), opts(store, events, { concurrency: 2 }));
    assert.deepEqual([r.items, r.done], [5, 5]);
    assert.deepEqual(events[0], { type: "start", command: "test", job: r.job });
    assert.equal((await store.getJob(r.job))?.totals.items, 5);
  });

  t(
    "a planner error (bad input) rejects before any item, no start event, job failed",
    async (store, events) => {
      const spec = {
        ..._spec([], () => Promise.resolve()),
        plan: () => Promise.reject(new UsageError("Unknown chat")),
      };
      await assert.rejects(runJob(spec, opts(store, events)), UsageError);
      assert.deepEqual(events, []);
      assert.equal((await store.listJobs())[0].state, "failed");
    },
  );
}
