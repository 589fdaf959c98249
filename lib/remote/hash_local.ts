/** Hashes a local file with one of rclone's hash names (md5, sha1, sha256), reading it in chunks. */
import { createHash } from "node:crypto";

/** The hex digest of `path` (lower case, like rclone's). */
export async function hashLocal(path: string, type: string, signal?: AbortSignal): Promise<string> {
  const h = createHash(type);
  using f = await Deno.open(path, { read: true });
  for await (const chunk of f.readable) {
    signal?.throwIfAborted();
    h.update(chunk);
  }
  return h.digest("hex");
}
