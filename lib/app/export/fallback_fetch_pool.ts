/**
 * The export's history fetch pool: fetch workers, or this thread when they cannot start (a worker
 * module that fails to load, as in a broken install or a binary built without it). A
 * WorkerStartError is no network fault: retried, it failed the same way for minutes. Its tasks
 * never reached a worker, so they run again on a LocalFetchPool, after one `warning`.
 */
import { WorkerStartError } from "../../core/errors.ts";
import type { SubmitOptions, TaskHandle, WorkerPool } from "../../engine/worker_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../telegram/fetch_task.ts";
import type { FetchPool } from "./shard_feed.ts";

/** See the module comment. */
export class FallbackFetchPool implements FetchPool {
  #workers: FetchPool;
  #makeLocal: () => FetchPool;
  #emit: Emit;
  #local: FetchPool | undefined;

  constructor(
    workers: WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>,
    makeLocal: () => FetchPool,
    emit: Emit,
  ) {
    this.#workers = workers;
    this.#makeLocal = makeLocal;
    this.#emit = emit;
  }

  /** The workers', or 1 once the tasks run on this thread (callers size their task groups by it). */
  get size(): number {
    return (this.#local ?? this.#workers).size;
  }

  /** Submits to the workers; a task they could not start runs on this thread instead. */
  async submit(
    task: FetchTask,
    opts: SubmitOptions<FetchTaskEvent> = {},
  ): Promise<TaskHandle<FetchTaskResult>> {
    if (this.#local) return await this.#local.submit(task, opts);
    let handle: TaskHandle<FetchTaskResult>;
    try {
      handle = await this.#workers.submit(task, opts);
    } catch (err) {
      return await this.#fallBack(err).submit(task, opts);
    }
    const result = handle.result.catch(async (err) =>
      await (await this.#fallBack(err).submit(task, opts)).result
    );
    result.catch(() => {}); // as the pool's own: callers may await it later
    return { id: handle.id, result };
  }

  /** Ends the workers and stops the tasks on this thread. */
  terminate(): void {
    this.#workers.terminate();
    this.#local?.terminate();
  }

  #fallBack(err: unknown): FetchPool {
    if (!(err instanceof WorkerStartError)) throw err;
    if (!this.#local) {
      this.#local = this.#makeLocal();
      this.#workers.terminate();
      this.#emit({
        type: "warning",
        code: "FETCH_WORKERS_UNAVAILABLE",
        message: `Fetch workers could not start (${err.why}); fetching history on the main thread`,
      });
    }
    return this.#local;
  }
}
