/** Checks that what a remote holds at a path is the local file: its size, and a hash where the remote has one. */
import { hashLocal } from "./hash_local.ts";
import type { Remote, RemoteInfo } from "./remote.ts";
import { RemoteError } from "./remote_errors.ts";

/** What a verified upload matched on. */
export interface Verified {
  size: number;
  /** The hash type compared, or undefined when the remote has none (size only). */
  hash?: string;
}

/**
 * Verifies `path` on the remote against the expected size and, when the remote computes one of the
 * hashes tgpipe knows, against the local file's (or the given digest of a streamed upload). Throws a
 * transient RemoteError when they differ: the caller uploads again.
 */
export async function verifyUpload(
  remote: Remote,
  info: RemoteInfo,
  want: { path: string; size: number; local?: string; digests?: Record<string, string> },
  signal?: AbortSignal,
): Promise<Verified> {
  const hash = info.hashes.find((h) => want.local !== undefined || want.digests?.[h] !== undefined);
  const got = await remote.stat(want.path, { hash, signal });
  const fail = (why: string) =>
    new RemoteError(`Upload of ${want.path} to ${remote.target} did not verify: ${why}`, {
      remote: remote.target,
      transient: true,
    });
  if (!got) throw fail("not there");
  if (got.size !== want.size) throw fail(`size ${got.size}, expected ${want.size}`);
  const theirs = hash ? got.hashes?.[hash] : undefined;
  // a remote may list a hash type yet not have it for one file (an empty string): size alone then
  if (!hash || !theirs) return { size: got.size };
  const ours = want.digests?.[hash] ?? await hashLocal(want.local!, hash, signal);
  if (ours.toLowerCase() !== theirs.toLowerCase()) throw fail(`${hash} ${theirs}, expected ${ours}`);
  return { size: got.size, hash };
}
