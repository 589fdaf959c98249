/**
 * A generic split of a source read once, in order (stdin, an HTTP body): pieces `name.001,
 * name.002, ...` cut as the bytes arrive, each a source of its own read straight from the one
 * stream (nothing is copied to disk), hashed on the way, and the manifest once the stream ended.
 * A piece is read once: it is not seekable, so its upload never resumes from a later part.
 */
import { createHash, type Hash } from "node:crypto";
import { TgpipeError } from "../core/errors.ts";
import { SourceNotResumableError } from "./source_errors.ts";
import { SourceError } from "./upload_part_reader.ts";
import {
  encodeManifest,
  manifestName,
  pieceName,
  SPLIT_MANIFEST_VERSION,
  type SplitManifest,
  type SplitPiece,
} from "./split_manifest.ts";
import { bytesSource } from "./bytes_source.ts";
import type { UploadSource } from "./upload_source.ts";

/** The pieces of one stream, handed out one at a time. */
export interface StreamPieces {
  /**
   * The next piece, or undefined once the stream ended. Call it after the previous piece was read
   * to its end (a piece cut short is a RangeError here).
   */
  next(): Promise<UploadSource | undefined>;
  /** The manifest file (`name.tgsplit.json`) once {@link next} said the stream ended. */
  manifestSource(): UploadSource;
  /** Stops reading the stream (after a failure or once done). */
  close(): Promise<void>;
}

/**
 * Cuts `source` into pieces of `pieceSize` bytes (the last one shorter), from its start. Its size
 * may be unknown: then pieces are of unknown size too (the upload learns each one's end as it
 * reads) and the manifest tells the whole.
 *
 * @example
 * ```ts
 * const s = streamPieces(stdin, { pieceSize: 2_097_152_000, signal });
 * for (let p = await s.next(); p; p = await s.next()) await upload(p);
 * await upload(s.manifestSource());
 * ```
 */
export function streamPieces(
  source: UploadSource,
  opts: { pieceSize: number; signal: AbortSignal },
): StreamPieces {
  const { pieceSize } = opts;
  if (!Number.isSafeInteger(pieceSize) || pieceSize <= 0) {
    throw new RangeError(`Invalid piece size ${pieceSize}`);
  }
  const it = source.open(0, opts.signal)[Symbol.asyncIterator]();
  const whole = createHash("sha256");
  const pieces: SplitPiece[] = [];
  let carry: Uint8Array | undefined;
  let ended = false;
  let reading = false;
  // the next chunk of the stream (what a piece left over first), undefined at its end
  const pull = async (): Promise<Uint8Array | undefined> => {
    if (carry) {
      const c = carry;
      carry = undefined;
      return c;
    }
    if (ended) return undefined;
    const r = await it.next();
    if (r.done) ended = true;
    return r.done ? undefined : r.value;
  };
  const count = source.size === undefined ? 1 : Math.ceil(source.size / pieceSize);
  const piece = (i: number): UploadSource => {
    const offset = i * pieceSize;
    const name = pieceName(source.name, i, count);
    let opened = false;
    return {
      name,
      size: source.size === undefined ? undefined : Math.min(pieceSize, source.size - offset),
      origin: source.origin,
      mime: "application/octet-stream",
      seekable: false,
      open: (from) => {
        if (from !== 0 || opened) return _fail(_again(source, name));
        opened = true;
        return _read(pull, (rest) => carry = rest, pieceSize, {
          hash: whole,
          done: (size, sha256) => pieces.push({ name, offset, size, sha256 }),
          reading: (v) => reading = v,
        });
      },
    };
  };
  return {
    async next() {
      if (reading) {
        throw new RangeError(`Piece ${pieces.length + 1} of ${source.origin} was not read to its end`);
      }
      const c = await pull();
      if (c === undefined) {
        if (pieces.length === 0) {
          throw new TgpipeError("Telegram does not take empty files", { code: "EMPTY_FILE" });
        }
        return undefined;
      }
      carry = c;
      reading = true;
      return piece(pieces.length);
    },
    manifestSource() {
      if (!ended || carry || reading) throw new RangeError(`The stream of ${source.origin} has not ended`);
      const total = pieces.reduce((n, p) => n + p.size, 0);
      if (source.size !== undefined && total !== source.size) {
        throw new SourceError(`Source ${source.origin} ended after ${total} of ${source.size} bytes`, {
          origin: source.origin,
          size: source.size,
          got: total,
        });
      }
      const manifest: SplitManifest = {
        format: "tgpipe-split",
        version: SPLIT_MANIFEST_VERSION,
        name: source.name,
        size: total,
        sha256: whole.digest("hex"),
        pieces,
      };
      return bytesSource(encodeManifest(manifest), {
        name: manifestName(source.name),
        mime: "application/json",
      });
    },
    close: async () => {
      await it.return?.(undefined);
    },
  };
}

async function* _read(
  pull: () => Promise<Uint8Array | undefined>,
  putBack: (rest: Uint8Array) => void,
  pieceSize: number,
  on: { hash: Hash; done: (size: number, sha256: string) => void; reading: (v: boolean) => void },
): AsyncGenerator<Uint8Array> {
  const own = createHash("sha256");
  let size = 0;
  while (size < pieceSize) {
    let c = await pull();
    if (c === undefined) break;
    if (c.length > pieceSize - size) {
      putBack(c.subarray(pieceSize - size));
      c = c.subarray(0, pieceSize - size);
    }
    own.update(c);
    on.hash.update(c);
    size += c.length;
    yield c;
  }
  on.done(size, own.digest("hex"));
  on.reading(false);
}

function _again(source: UploadSource, name: string): SourceNotResumableError {
  return new SourceNotResumableError(
    `${name} of ${source.origin} cannot be read again: a split stream is read once, so upload it anew`,
    source.origin,
  );
}

// like every source, a refusal surfaces when the bytes are read
// deno-lint-ignore require-yield
async function* _fail(err: Error): AsyncIterable<Uint8Array> {
  throw err;
}
