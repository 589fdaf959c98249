/**
 * Whether a file on disk already holds a remote file's bytes: its size and every SHA-256 range
 * (upload.getFileHashes) match. Used by `download` before it skips a file it did not record.
 */
import { open } from "node:fs/promises";
import type { FileHashRange } from "./file_source.ts";

/** True when `path` has `size` bytes and every hash range matches (no ranges: false, nothing proved). */
export async function sameFile(path: string, size: number, hashes: FileHashRange[]): Promise<boolean> {
  if (hashes.length === 0 && size > 0) return false;
  const fh = await open(path, "r").catch(() => undefined);
  if (!fh) return false;
  try {
    if ((await fh.stat()).size !== size) return false;
    // ranges must cover the whole file: a gap would let a different file pass
    let covered = 0;
    for (const h of [...hashes].sort((a, b) => a.offset - b.offset)) {
      if (h.offset > covered) return false;
      const len = Math.min(h.limit, size - h.offset);
      if (len <= 0) continue;
      const buf = new Uint8Array(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, h.offset + got);
        if (bytesRead === 0) return false;
        got += bytesRead;
      }
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
      if (digest.length !== h.sha256.length || digest.some((b, i) => b !== h.sha256[i])) return false;
      covered = Math.max(covered, h.offset + len);
    }
    return covered >= size;
  } finally {
    await fh.close();
  }
}
