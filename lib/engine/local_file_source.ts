/**
 * An UploadSource over a local file: its size and name from the file system, read from any
 * offset in 1 MiB chunks (seekable, so resume and FILE_PART_X_MISSING re-reads work). A file that
 * changes size while it is read fails with a SourceError instead of going up half old, half new.
 */
import { basename } from "node:path";
import { SourceError } from "./upload_part_reader.ts";
import type { UploadSource } from "./upload_source.ts";

const CHUNK = 1 << 20;

/** The source of the file at `path` (stat now: its size is fixed for the upload). */
export async function localFileSource(path: string, opts: { name?: string } = {}): Promise<UploadSource> {
  const info = await Deno.stat(path);
  if (!info.isFile) throw new SourceError(`Not a file: ${path}`, { origin: path });
  const size = info.size;
  return {
    name: opts.name ?? basename(path),
    size,
    origin: path,
    seekable: true,
    async *open(offset: number, signal: AbortSignal) {
      const file = await Deno.open(path, { read: true });
      try {
        await file.seek(offset, Deno.SeekMode.Start);
        const buf = new Uint8Array(CHUNK);
        for (let at = offset; at < size;) {
          signal.throwIfAborted();
          const n = await file.read(buf.subarray(0, Math.min(CHUNK, size - at)));
          if (n === null) {
            throw new SourceError(`File ${path} got shorter while it was read`, { origin: path, size });
          }
          at += n;
          // a copy: the consumer keeps chunks past the next read
          yield buf.slice(0, n);
        }
        if ((await file.stat()).size !== size) {
          throw new SourceError(`File ${path} changed size while it was read`, { origin: path, size });
        }
      } finally {
        file.close();
      }
    },
  };
}
