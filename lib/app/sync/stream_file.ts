/**
 * A Telegram file as a byte stream, in order, for a file too big for --max-disk: parts are
 * fetched a few ahead (bounded memory), each retried like the download engine's, and hashed as
 * they pass so the upload can be verified without a local copy.
 */
import { createHash, type Hash } from "node:crypto";
import type { FileSource } from "../../engine/file_source.ts";
import { planParts } from "../../engine/parts.ts";
import { retry } from "../../engine/retry.ts";
import type { Emit } from "../../progress/events.ts";

/** A file's bytes as a stream plus the digests of what went through it (complete once it ends). */
export interface FileStream {
  stream: ReadableStream<Uint8Array>;
  digests: Record<string, string>;
}

/** Streams `source` (see module comment); `hashes` are the digest types to compute. */
export function streamFile(
  source: FileSource,
  opts: { item: string; hashes: string[]; ahead?: number; signal?: AbortSignal; emit?: Emit },
): FileStream {
  const parts = planParts(source.size);
  const ahead = opts.ahead ?? 4;
  const inFlight: Promise<Uint8Array>[] = [];
  const hashers: Array<[string, Hash]> = opts.hashes.map((h) => [h, createHash(h)]);
  const digests: Record<string, string> = {};
  let next = 0;
  let done = 0;
  const fetch = (i: number) => {
    const p = retry(() => source.fetchPart(parts[i], opts.signal ?? new AbortController().signal), {
      attempts: 8,
      baseMs: 250,
      maxMs: 10_000,
      signal: opts.signal,
    });
    p.catch(() => {}); // awaited in order below; an early failure must not be unhandled
    return p;
  };
  const stream = new ReadableStream<Uint8Array>({
    pull: async (c) => {
      while (next < parts.length && inFlight.length < ahead) inFlight.push(fetch(next++));
      const p = inFlight.shift();
      if (!p) {
        for (const [name, h] of hashers) digests[name] = h.digest("hex");
        c.close();
        return;
      }
      const bytes = (await p).slice();
      for (const [, h] of hashers) h.update(bytes);
      done += bytes.length;
      opts.emit?.({ type: "item_progress", item: opts.item, done_bytes: done, total_bytes: source.size });
      c.enqueue(bytes);
    },
  }, { highWaterMark: 0 });
  return { stream, digests };
}
