/**
 * Fetches parts of a file and writes each at its offset into the partial file: what a fetch
 * worker's file_parts task does, and what this thread does instead when fetch workers cannot start.
 */
import { open } from "node:fs/promises";
import type { FileSource } from "../engine/file_source.ts";
import type { PartPlan } from "../engine/parts.ts";

/** Fetches `parts` from `source` concurrently into `partPath` (which exists); resolves with the bytes written. */
export async function writeParts(
  source: FileSource,
  parts: PartPlan[],
  partPath: string,
  opts: { signal: AbortSignal; onPart?: (index: number, bytes: number) => void },
): Promise<number> {
  const fh = await open(partPath, "r+");
  let total = 0;
  try {
    await Promise.all(parts.map(async (part) => {
      const bytes = await source.fetchPart(part, opts.signal);
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, part.offset + done);
        done += bytesWritten;
      }
      total += bytes.length;
      opts.onPart?.(part.index, bytes.length);
    }));
  } finally {
    await fh.close();
  }
  return total;
}
