/**
 * A sync target (rclone remote or local directory) behind one interface: put a local file or a
 * stream at a path, list and stat what is there (with sizes and, where the remote has them,
 * hashes), verify an upload, check that the target is reachable before any work.
 * The shared contract is tests/conformance/remote_conformance.ts.
 */

/** One file on a remote, its path relative to the target's root ("/" separated). */
export interface RemoteEntry {
  path: string;
  size: number;
  /** Hashes by rclone's names (md5, sha1, sha256) when asked for and the remote has them. */
  hashes?: Record<string, string>;
}

/** What a target can do, found by {@link Remote.check}. */
export interface RemoteInfo {
  /** The target as people wrote it ("gdrive:backup", "/mnt/mirror"). */
  target: string;
  /** Hash types the remote computes, best first among those tgpipe checks (sha256, sha1, md5). */
  hashes: string[];
  /** Whether a stream of unknown origin can be written without a local copy (rclone rcat). */
  canStream: boolean;
}

/** Options of every remote operation. */
export interface RemoteCallOptions {
  signal?: AbortSignal;
}

/** Options of an upload: also told the bytes sent so far, now and then. */
export interface RemotePutOptions extends RemoteCallOptions {
  onProgress?: (bytes: number) => void;
}

/** A sync target. Paths are relative to the target's root and use "/" separators. */
export interface Remote {
  /** The target as given (for messages and events). */
  readonly target: string;
  /**
   * Checks the target is configured and reachable, and what it can do. Throws
   * RemoteMissingError (exit 2), RemoteAuthError, or a transient RemoteError.
   */
  check(opts?: RemoteCallOptions): Promise<RemoteInfo>;
  /** Copies the local file `local` to `path`, replacing what is there. */
  upload(local: string, path: string, opts?: RemotePutOptions): Promise<void>;
  /**
   * Writes a stream to `path` with no local copy (rclone rcat). If the stream errors, nothing
   * complete is left at `path` under the stream's name of a finished file (the caller verifies).
   */
  rcat(
    stream: ReadableStream<Uint8Array>,
    path: string,
    opts?: RemotePutOptions & { size?: number },
  ): Promise<void>;
  /** Every file under the root (recursive), sizes only. An absent root is an empty list. */
  list(opts?: RemoteCallOptions): Promise<RemoteEntry[]>;
  /** One file with the hash `hash` when given, or undefined when it is not there. */
  stat(path: string, opts?: RemoteCallOptions & { hash?: string }): Promise<RemoteEntry | undefined>;
  /** Deletes one file; a missing file is not an error. */
  remove(path: string, opts?: RemoteCallOptions): Promise<void>;
}

/** Hash types tgpipe can compute locally to compare with a remote's, best first. */
export const CHECKED_HASHES = ["sha256", "sha1", "md5"] as const;
