/**
 * The fetch worker's task registry: one handler per task kind. A new kind is one file in this
 * folder plus one line here.
 */
import type { TaskContext } from "../../lib/engine/serve_worker.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../lib/telegram/fetch_task.ts";
import { fileParts } from "./file_parts.ts";
import { historyShard } from "./history_shard.ts";

/** A task handler: gets its task (narrowed by kind) and the worker context. */
// deno-lint-ignore no-explicit-any
export type FetchTaskHandler = (task: any, ctx: TaskContext<FetchTaskEvent>) => Promise<FetchTaskResult>;

/** Handlers by task kind. */
export const FETCH_TASKS: Record<string, FetchTaskHandler> = {
  file_parts: fileParts,
  history_shard: historyShard,
};

/** Runs a task with the handler of its kind; TypeError for an unknown kind. */
export function dispatchFetchTask(
  task: FetchTask,
  ctx: TaskContext<FetchTaskEvent>,
): Promise<FetchTaskResult> {
  const handler = FETCH_TASKS[task.kind];
  if (!handler) return Promise.reject(new TypeError(`Unknown fetch task kind "${task.kind}"`));
  return handler(task, ctx);
}
