import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import { safeJoin } from "../../core/safe_join.ts";

/** Where a media reference of a Desktop export leads: a regular file inside it, nothing, or a refusal. */
export type ExportFile = { path: string } | { missing: true } | { refused: string };

/**
 * Resolves `ref` (e.g. `files/a.txt`) inside the export folder `dir` and accepts only a regular
 * file whose real path is inside the export: a hostile export cannot make the import copy a
 * secret or /etc through a symlink (to a file or a folder on the way), a hard link to a file
 * elsewhere, or a device or FIFO (which would block or never end).
 */
export async function exportFile(dir: string, ref: string): Promise<ExportFile> {
  let path: string;
  try {
    path = safeJoin(dir, ref);
  } catch {
    return { refused: "its path leads outside the export" };
  }
  const st = await Deno.lstat(path).catch(() => undefined);
  if (!st) return { missing: true };
  if (st.isSymlink) return { refused: "it is a symbolic link" };
  if (!st.isFile) return { refused: "it is not a regular file" };
  // hard links share one inode: a file linked from outside the export has more than one name
  if ((st.nlink ?? 1) > 1) return { refused: "it is a hard link" };
  const [root, real] = await Promise.all([realpath(dir), realpath(path)]).catch(() => ["", ""]);
  if (root === "" || !real.startsWith(root.endsWith(sep) ? root : root + sep)) {
    return { refused: "a folder on its path is a link out of the export" };
  }
  return { path: real };
}
