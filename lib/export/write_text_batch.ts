/**
 * Writes a batch of small text files (notes) with synchronous calls, each made whole before it gets
 * its name (on Linux an unnamed file linked into place, lib/export/linux_new_file.ts; elsewhere
 * `<file>.part` renamed into place), so no file is ever seen half-written. Runs on the write worker
 * (workers/write_worker.ts): creating a file is kernel work (inode allocation), and doing it off
 * the renderer's thread lets rendering and file creation overlap.
 */
import { errnoCode } from "../core/errors.ts";
import { openLinuxNewFile } from "./linux_new_file.ts";

/** Whole files to write; paths are absolute and already checked to lie inside the output. */
export interface TextBatch {
  files: Array<{ path: string; text: string }>;
}

const encoder = new TextEncoder();
// opened once per thread (the write worker, or the main thread when that cannot start)
let linux: ReturnType<typeof openLinuxNewFile> | null = null;

/**
 * Writes every file of `batch` in order; `dirs` remembers folders already created (one mkdir per
 * folder, not per file). On a failure the file's `.part` is removed and the error names the file.
 */
export function writeTextBatch(batch: TextBatch, dirs: Set<string>): number {
  if (linux === null) linux = openLinuxNewFile();
  for (const { path, text } of batch.files) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const part = `${path}.part`;
    try {
      if (dir && !dirs.has(dir)) {
        Deno.mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      const data = encoder.encode(text);
      if (linux?.write(path, data)) continue;
      Deno.writeFileSync(part, data);
      Deno.renameSync(part, path);
    } catch (err) {
      try {
        Deno.removeSync(part);
      } catch {
        // never created, or already gone
      }
      const why = err instanceof Error ? err.message : String(err);
      // the errno name (ENOSPC, EACCES) crosses the worker boundary with the error: the job runner
      // does not retry a disk error and reports it under that name
      throw Object.assign(new Error(`Cannot write ${path}: ${why}`), { cause: err, code: errnoCode(err) });
    }
  }
  return batch.files.length;
}
