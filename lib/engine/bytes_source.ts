/** Bytes in memory as an UploadSource: small generated files such as a split's manifest. */
import type { UploadSource } from "./upload_source.ts";

/** An UploadSource over `bytes` (kept, not copied), seekable, readable any number of times. */
export function bytesSource(
  bytes: Uint8Array,
  opts: { name: string; mime?: string; origin?: string },
): UploadSource {
  return {
    name: opts.name,
    size: bytes.length,
    origin: opts.origin ?? opts.name,
    mime: opts.mime,
    seekable: true,
    async *open(offset, signal) {
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
        throw new RangeError(`Offset ${offset} is outside ${opts.name} (${bytes.length} bytes)`);
      }
      // in slices, like any other source, so an abort is seen between them
      for (let at = offset; at < bytes.length; at += CHUNK) {
        signal.throwIfAborted();
        yield bytes.slice(at, Math.min(bytes.length, at + CHUNK));
      }
    },
  };
}

const CHUNK = 256 * 1024;
