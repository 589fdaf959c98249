/**
 * Fetch worker: runs fetch tasks (file parts now, history shards later) for a WorkerPool, each
 * worker with its own Telegram connections so MTProto decryption spreads over every core.
 */
import { serveWorker } from "../lib/engine/serve_worker.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../lib/telegram/fetch_task.ts";
import { dispatchFetchTask } from "./fetch_tasks/index.ts";

serveWorker<FetchTask, FetchTaskResult, FetchTaskEvent>((task, ctx) => dispatchFetchTask(task, ctx));
