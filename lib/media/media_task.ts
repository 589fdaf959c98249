import type { Emit } from "../progress/events.ts";
import type { MediaItem, MediaOptions, MediaTools, ProcessorResult } from "./post_processor.ts";
import { resolveChain } from "./registry.ts";
import { runChain } from "./run_chain.ts";

/** One item's chain, as sent to a media worker: plain data only (tools resolved by the caller). */
export interface MediaTask {
  item: MediaItem;
  /** Processor names; run in stage order whatever order they are given in. */
  processors: string[];
  tools: MediaTools;
  cacheDir: string;
  options: MediaOptions;
}

/** What a media task produced. */
export interface MediaTaskResult {
  item: MediaItem;
  results: ProcessorResult[];
}

/** Runs a MediaTask's chain in this thread (workers/media_worker.ts calls this in a worker). */
export async function runMediaTask(
  task: MediaTask,
  opts: { signal: AbortSignal; emit: Emit },
): Promise<MediaTaskResult> {
  const chain = resolveChain(task.processors);
  const results = await runChain(task.item, chain, {
    signal: opts.signal,
    emit: opts.emit,
    tools: task.tools,
    cacheDir: task.cacheDir,
    options: task.options,
  });
  return { item: task.item, results };
}
