import { dirname } from "node:path";
import { safeJoin } from "../core/safe_join.ts";
import type { ExportWriter, StreamFile } from "./export_writer.ts";

const encoder = new TextEncoder();
const CHUNK = 1 << 20;
const SMALL = 64 << 10;

/**
 * {@link ExportWriter} on the local file system under `root`: every path goes through safeJoin,
 * every file is written as `<file>.part` and renamed, and a failed write removes its `.part`.
 */
export class FsExportWriter implements ExportWriter {
  // Folders already created: one mkdir per folder, not per note (100k notes share a few folders).
  #dirs = new Set<string>();
  constructor(readonly root: string) {}

  async #mkdir(dir: string): Promise<void> {
    if (this.#dirs.has(dir)) return;
    await Deno.mkdir(dir, { recursive: true });
    this.#dirs.add(dir);
  }

  /** Writes `text` to `<path>.part` in chunks (checking `signal`), then renames it into place. */
  async writeText(path: string, text: string, signal?: AbortSignal): Promise<void> {
    const full = safeJoin(this.root, path);
    await this.#mkdir(dirname(full));
    const part = `${full}.part`;
    const data = encoder.encode(text);
    if (data.length <= SMALL) {
      // Notes are small: synchronous calls cost a fraction of async ones per file (100k notes).
      signal?.throwIfAborted();
      try {
        Deno.writeFileSync(part, data);
        Deno.renameSync(part, full);
      } catch (err) {
        await _removeQuietly(part);
        throw err;
      }
      return;
    }
    try {
      const file = await Deno.open(part, { write: true, create: true, truncate: true });
      try {
        for (let off = 0; off < data.length || off === 0; off += CHUNK) {
          signal?.throwIfAborted();
          await _writeAll(file, data.subarray(off, off + CHUNK));
          if (data.length === 0) break;
        }
      } finally {
        file.close();
      }
      signal?.throwIfAborted();
      await Deno.rename(part, full);
    } catch (err) {
      await _removeQuietly(part);
      throw err;
    }
  }

  /** Opens `<path>.part` for appending; commit renames it, abort removes it. */
  async openStream(path: string): Promise<StreamFile> {
    const full = safeJoin(this.root, path);
    await this.#mkdir(dirname(full));
    const part = `${full}.part`;
    const file = await Deno.open(part, { write: true, create: true, truncate: true });
    let open = true;
    const close = () => {
      if (open) file.close();
      open = false;
    };
    return {
      write: (text) => _writeAll(file, encoder.encode(text)),
      commit: async () => {
        close();
        await Deno.rename(part, full);
      },
      abort: async () => {
        close();
        await _removeQuietly(part);
      },
    };
  }

  /** Copies `source` to `<path>.part` and renames; skips when `path` exists with the same size. */
  async copyFile(source: string, path: string, signal?: AbortSignal): Promise<number> {
    const full = safeJoin(this.root, path);
    const size = (await Deno.stat(source)).size;
    const existing = await Deno.stat(full).catch(() => undefined);
    if (existing?.isFile && existing.size === size) return 0;
    await this.#mkdir(dirname(full));
    const part = `${full}.part`;
    try {
      signal?.throwIfAborted();
      await Deno.copyFile(source, part);
      // Verify before the rename (docs/architecture.md, files on disk): a short copy never gets the name.
      const copied = (await Deno.stat(part)).size;
      if (copied !== size) throw new Error(`Short copy of ${source}: ${copied} of ${size} bytes`);
      signal?.throwIfAborted();
      await Deno.rename(part, full);
      return size;
    } catch (err) {
      await _removeQuietly(part);
      throw err;
    }
  }
}

async function _writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

async function _removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch {
    // Already gone, or never created: nothing to clean up.
  }
}
