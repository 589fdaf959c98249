import { createHash } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { mkdir } from "node:fs/promises";
import { TgpipeError } from "../core/errors.ts";
import type { FileHashRange } from "./file_source.ts";

/** A file being downloaded: `<dest>.part`, written at offsets, renamed into place once verified. */
export class PartFile {
  readonly dest: string;
  readonly partPath: string;
  #fh: FileHandle | undefined;
  /** SHA-256 of each whole hash range written in this run, by offset (when hashing writes). */
  readonly #digests: Map<number, Uint8Array> | undefined;
  /** The complete file's size, when hashing writes (its last range may be short). */
  readonly #size: number;

  private constructor(dest: string, hashSize: number | undefined) {
    this.dest = dest;
    this.partPath = `${dest}.part`;
    this.#digests = hashSize === undefined ? undefined : new Map();
    this.#size = hashSize ?? -1;
  }

  /**
   * Opens (or creates, keeping existing bytes) `<dest>.part`; reports whether it already existed.
   * With `hashWritesOf` (the complete file's size), every whole hash range written is hashed from
   * memory, so verify() reads back only ranges from an earlier run.
   */
  static async open(
    dest: string,
    opts: { hashWritesOf?: number } = {},
  ): Promise<{ file: PartFile; existed: boolean }> {
    const file = new PartFile(dest, opts.hashWritesOf);
    await mkdir(dirname(dest), { recursive: true });
    const existed = await stat(file.partPath).then(() => true, () => false);
    // "r+" keeps bytes written by an earlier run; "w+" would truncate them.
    file.#fh = await open(file.partPath, existed ? "r+" : "w+");
    return { file, existed };
  }

  /** Writes `bytes` at `offset` (positional write: concurrent parts never race on a file cursor). */
  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#handle().write(bytes, done, bytes.length - done, offset + done);
      done += bytesWritten;
    }
    // only whole ranges (a write smaller than a range leaves it to the read-back)
    for (let o = 0; this.#digests && o < bytes.length; o += HASH_RANGE) {
      const at = offset + o, len = Math.min(HASH_RANGE, bytes.length - o);
      if (at % HASH_RANGE !== 0 || (len !== HASH_RANGE && at + len !== this.#size)) continue;
      this.#digests.set(at, createHash("sha256").update(bytes.subarray(o, o + len)).digest());
    }
  }

  /**
   * Checks the size and, when given, every hash range; throws VerifyError on a mismatch. Ranges
   * hashed as they were written are not read again; the others (parts from an earlier run, ranges
   * of another size) are read back from disk.
   */
  async verify(size: number, hashes: FileHashRange[] = []): Promise<void> {
    const actual = (await this.#handle().stat()).size;
    if (actual !== size) throw new VerifyError(this.dest, `size ${actual} != ${size}`);
    let buf = new Uint8Array(0);
    for (const h of hashes) {
      const len = Math.min(h.limit, size - h.offset);
      let digest = h.limit === HASH_RANGE ? this.#digests?.get(h.offset) : undefined;
      if (!digest) {
        if (buf.length < len) buf = new Uint8Array(len);
        const view = buf.subarray(0, len);
        await this.#handle().read(view, 0, len, h.offset);
        digest = new Uint8Array(await crypto.subtle.digest("SHA-256", view));
      }
      if (!_equal(digest, h.sha256)) {
        throw new VerifyError(this.dest, `sha256 mismatch at offset ${h.offset}`);
      }
    }
  }

  /** Closes and renames the verified file into place. */
  async commit(): Promise<void> {
    await this.close();
    await rename(this.partPath, this.dest);
  }

  /** Closes and deletes the partial file (after a failed verification). */
  async discard(): Promise<void> {
    await this.close();
    await rm(this.partPath, { force: true });
  }

  /** Closes the handle, keeping the partial file for a later resume. */
  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close();
  }

  #handle(): FileHandle {
    if (!this.#fh) throw new Error(`${this.partPath} is closed`);
    return this.#fh;
  }
}

// upload.getFileHashes covers a file in ranges of this size (file parts are aligned to it)
const HASH_RANGE = 128 * 1024;

/** A downloaded file did not match its expected size or hashes; it was not renamed into place. */
export class VerifyError extends TgpipeError {
  readonly path: string;
  constructor(path: string, detail: string) {
    super(`Verification failed for ${path}: ${detail}`, { code: "VERIFY_FAILED", data: { path, detail } });
    this.path = path;
  }
}

function _equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
