import { WorkerPool, type WorkerPoolOptions } from "../../engine/worker_pool.ts";
import type { MediaTask, MediaTaskResult } from "../../media/media_task.ts";
import type { EventBody } from "../../progress/events.ts";

/** A pool of media workers (workers/media_worker.ts). */
export type MediaPool = WorkerPool<MediaTask, MediaTaskResult, EventBody>;

/**
 * Starts a media worker pool; export and download submit MediaTasks to it, and its bounded
 * queue keeps downloads from outrunning processing. Close it with `await pool.close()`.
 */
export function createMediaPool(opts: WorkerPoolOptions = {}): MediaPool {
  return new WorkerPool<MediaTask, MediaTaskResult, EventBody>(
    new URL("../../../workers/media_worker.ts", import.meta.url),
    opts,
  );
}
