/**
 * A FetchPool that runs history_shard tasks on this thread, over the main client's connection:
 * for machines where a fetch worker would only compete with the writer for the same cores. It
 * saves the worker's own GramJS (~55 MB), its heap, and a structured clone of every page. Tasks
 * run one at a time, in submission order, like a pool of one worker.
 */
import type { SubmitOptions, TaskHandle } from "../../engine/worker_pool.ts";
import type { TgClient } from "../../telegram/client.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../telegram/fetch_task.ts";
import { type HistoryShardTask, runHistoryShard } from "../../telegram/history_shard.ts";
import type { FetchPool } from "./shard_feed.ts";

/** See the module comment. */
export class LocalFetchPool implements FetchPool {
  readonly size = 1;
  #client: TgClient;
  #chain: Promise<unknown> = Promise.resolve();
  #nextId = 1;

  constructor(client: TgClient) {
    this.#client = client;
  }

  /** Queues a history_shard task behind the ones before it; TypeError for any other kind. */
  submit(task: FetchTask, opts: SubmitOptions<FetchTaskEvent> = {}): Promise<TaskHandle<FetchTaskResult>> {
    if (task.kind !== "history_shard") {
      return Promise.reject(new TypeError(`Local fetch runs history_shard tasks only, not "${task.kind}"`));
    }
    const result = this.#chain.then(async (): Promise<FetchTaskResult> => {
      opts.signal?.throwIfAborted();
      const messages = await runHistoryShard(this.#client, task as HistoryShardTask, {
        onPage: (page) => opts.onEvent?.(page),
        signal: opts.signal,
      });
      return { bytes: 0, messages };
    });
    this.#chain = result.catch(() => {});
    return Promise.resolve({ id: this.#nextId++, result });
  }

  /** Nothing to end: the tasks stop with their signals. */
  terminate(): void {}
}
