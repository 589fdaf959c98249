import { failureResult } from "./failure_result.ts";
import type { MediaItem, PostProcessor, ProcessorContext, ProcessorResult } from "./post_processor.ts";

/**
 * Runs a chain of processors on one item, each seeing the results before it. A processor that
 * fails (or throws by mistake) yields a "failed" result and a `warning` event, and the chain goes
 * on without its files; only an abort stops the chain.
 */
export async function runChain(
  item: MediaItem,
  chain: readonly PostProcessor[],
  ctx: Omit<ProcessorContext, "previous">,
): Promise<ProcessorResult[]> {
  const previous: Record<string, ProcessorResult> = {};
  const results: ProcessorResult[] = [];
  for (const p of chain) {
    ctx.signal.throwIfAborted();
    if (!p.accepts(item, ctx.options)) continue;
    let r: ProcessorResult;
    try {
      r = await p.run(item, { ...ctx, previous });
    } catch (err) {
      // A processor should return failures itself; a throw here is a bug, still isolated.
      r = failureResult(p.name, err, ctx.signal);
    }
    if (r.warning) {
      ctx.emit({
        type: "warning",
        code: r.warning.code,
        message: r.warning.message,
        item: item.id ?? item.path,
      });
    }
    previous[p.name] = r;
    results.push(r);
  }
  return results;
}
