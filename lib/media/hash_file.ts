import { createHash } from "node:crypto";

/** Hex sha256 of a file, streamed in chunks so memory stays flat for big videos. */
export async function sha256File(path: string, opts: { signal?: AbortSignal } = {}): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    opts.signal?.throwIfAborted();
    hash.update(chunk);
  }
  return hash.digest("hex");
}
