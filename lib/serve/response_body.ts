/**
 * The body of a planned response as a stream: one range, or the parts of a multipart/byteranges
 * body each streamed in turn. Counts the bytes that reached the client and says when the body
 * ended (finished, failed, or cancelled by the client), so the access event and the stream slot
 * are settled exactly once.
 */
import type { ServedFile } from "./catalog.ts";
import type { BodyPlan } from "./plan_response.ts";

/** How a body ended: the bytes handed to the client and whether all of them were. */
export type BodyEnd = (sent: number, complete: boolean) => void;

/** Streams `plan` of `file`; `onEnd` runs once, whatever ends it. */
export function responseBody(
  file: ServedFile,
  plan: BodyPlan,
  opts: { signal: AbortSignal; onEnd: BodyEnd },
): ReadableStream<Uint8Array> | null {
  if (plan.kind === "none") {
    opts.onEnd(0, true);
    return null;
  }
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, stop.signal]);
  const enc = new TextEncoder();
  const pieces: Array<Uint8Array | { start: number; end: number }> = plan.kind === "single"
    ? [plan.range]
    : [...plan.parts.flatMap((p) => [enc.encode(p.head), p.range]), enc.encode(plan.tail)];
  let sent = 0;
  let ended = false;
  const end = (complete: boolean) => {
    if (ended) return;
    ended = true;
    opts.onEnd(sent, complete);
  };
  let current: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let next = 0;
  signal.addEventListener("abort", () => {
    current?.cancel(signal.reason).catch(() => {});
    end(false);
  }, { once: true });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (!current) {
            if (next === pieces.length) {
              controller.close();
              end(true);
              return;
            }
            const piece = pieces[next++];
            if (piece instanceof Uint8Array) {
              sent += piece.length;
              controller.enqueue(piece);
              return;
            }
            current = file.open(piece, signal).getReader();
          }
          const r = await current.read();
          if (r.done) {
            current = undefined;
            continue;
          }
          sent += r.value.length;
          controller.enqueue(r.value);
          return;
        }
      } catch (err) {
        stop.abort(err);
        end(false);
        throw err;
      }
    },
    cancel(reason) {
      stop.abort(reason ?? new DOMException("The client went away", "AbortError"));
    },
  }, { highWaterMark: 0 });
}
