/**
 * Media worker: runs post-processor chains (probe, transcode, thumbnail, transcribe) for a
 * WorkerPool. Tools arrive resolved in each task; nothing here reads env.
 */
import { serveWorker } from "../lib/engine/serve_worker.ts";
import { type MediaTask, type MediaTaskResult, runMediaTask } from "../lib/media/media_task.ts";
import type { EventBody } from "../lib/progress/events.ts";

serveWorker<MediaTask, MediaTaskResult, EventBody>((task, ctx) =>
  runMediaTask(task, { signal: ctx.signal, emit: ctx.emit })
);
