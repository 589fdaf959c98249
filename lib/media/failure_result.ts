import { TgpipeError, ToolFailedError } from "../core/errors.ts";
import type { ProcessorResult } from "./post_processor.ts";

/**
 * Turns a processor's error into a "failed" result carrying a warning, so one bad file never
 * stops a batch. An abort is not a failure of the item: it rethrows so the whole run stops.
 */
export function failureResult(processor: string, err: unknown, signal: AbortSignal): ProcessorResult {
  if (signal.aborted) throw signal.reason;
  const code = err instanceof TgpipeError ? err.code : "PROCESSOR_FAILED";
  const message = `${processor}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
  const data: Record<string, unknown> = err instanceof TgpipeError ? { ...err.data } : {};
  // Keep warnings short for JSON lines: the last stderr lines say what went wrong.
  if (err instanceof ToolFailedError) {
    data.stderr_tail = err.stderrTail.trim().split("\n").slice(-5).join("\n");
  }
  return { processor, status: "failed", files: [], metadata: {}, warning: { code, message, data } };
}
