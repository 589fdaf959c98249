/**
 * Reads a `tgpipe --json` stdout as the pipelines that consume it do: one JSON event per line. Every
 * non-blank line must be a valid event (the schema of lib/progress/event_schema.ts); anything else
 * fails the test with the line itself, so stray output on stdout can never pass unnoticed.
 */
import { AssertionError } from "node:assert/strict";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { validateEvent } from "../../lib/progress/validate_event.ts";

/** Calls `onEvent` for each event line of `stream`, in order, awaiting it; resolves at the end of the stream. */
export async function readEventLines(
  stream: ReadableStream<Uint8Array>,
  onEvent: (e: TgpipeEvent) => void | Promise<void>,
): Promise<void> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() !== "") await onEvent(parseEventLine(line));
    }
  }
  if (buf.trim() !== "") await onEvent(parseEventLine(buf));
}

/** One stdout line as an event; a line that is not JSON or not a valid event fails with the line. */
export function parseEventLine(line: string): TgpipeEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new AssertionError({ message: `stdout line is not JSON: ${line.slice(0, 300)}` });
  }
  const problems = validateEvent(value);
  if (problems.length > 0) {
    throw new AssertionError({ message: `invalid event ${line.slice(0, 300)}: ${problems.join("; ")}` });
  }
  return value as TgpipeEvent;
}
