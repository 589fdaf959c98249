/**
 * A generic split of a file too big for the account: pieces `name.001, name.002, ...` that read
 * the original in place by offset (no copy), and the manifest with the sha256 of each piece and
 * of the whole, computed in one streaming pass.
 */
import { createHash } from "node:crypto";
import {
  encodeManifest,
  manifestName,
  pieceName,
  SPLIT_MANIFEST_VERSION,
  type SplitManifest,
} from "./split_manifest.ts";
import { bytesSource } from "./bytes_source.ts";
import { fileRangeSource } from "./file_range_source.ts";
import type { UploadSource } from "./upload_source.ts";

/** How to split. */
export interface SplitFileOptions {
  /** The largest piece the account may send, in bytes (its upload limit). */
  limitBytes: number;
  /** The original's name in Telegram; default the path's last segment. */
  name?: string;
  signal?: AbortSignal;
}

/** The pieces in order, then the manifest: what the upload sends, in that order. */
export interface FileSplit {
  manifest: SplitManifest;
  pieces: UploadSource[];
  /** The manifest file (`name.tgsplit.json`, JSON) as a source. */
  manifestSource: UploadSource;
}

// pieces are whole multiples of Telegram's largest part when the limit allows: no short part
// in the middle of an upload
const ALIGN = 512 * 1024;

/**
 * Plans the split of `path` (read once to hash it). Throws RangeError when the limit is not
 * positive; a file within the limit still gives one piece, so callers decide when to split.
 *
 * @example
 * ```ts
 * const { pieces, manifestSource } = await splitFile("/data/backup.tar", { limitBytes: 2_097_152_000 });
 * ```
 */
export async function splitFile(path: string, opts: SplitFileOptions): Promise<FileSplit> {
  if (!Number.isSafeInteger(opts.limitBytes) || opts.limitBytes <= 0) {
    throw new RangeError(`The split limit must be a positive number of bytes, got ${opts.limitBytes}`);
  }
  const name = opts.name ?? path.split(/[/\\]/).at(-1)!;
  const size = (await Deno.stat(path)).size;
  const pieceSize = _pieceSize(size, opts.limitBytes);
  const count = Math.max(1, Math.ceil(size / pieceSize));
  const hashes = await _hashPieces(path, pieceSize, count, opts.signal);
  const manifest: SplitManifest = {
    format: "tgpipe-split",
    version: SPLIT_MANIFEST_VERSION,
    name,
    size,
    sha256: hashes.whole,
    pieces: hashes.pieces.map((sha256, i) => ({
      name: pieceName(name, i, count),
      offset: i * pieceSize,
      size: Math.min(pieceSize, size - i * pieceSize),
      sha256,
    })),
  };
  const pieces = manifest.pieces.map((p) =>
    fileRangeSource(path, { offset: p.offset, length: p.size, name: p.name })
  );
  const manifestSource = bytesSource(encodeManifest(manifest), {
    name: manifestName(name),
    mime: "application/json",
  });
  return { manifest, pieces, manifestSource };
}

/** Even pieces (n = ceil(size / limit)), rounded up to 512 KB when that stays within the limit. */
function _pieceSize(size: number, limit: number): number {
  const n = Math.max(1, Math.ceil(size / limit));
  const even = Math.max(1, Math.ceil(size / n));
  const aligned = Math.ceil(even / ALIGN) * ALIGN;
  return aligned <= limit ? aligned : even;
}

async function _hashPieces(
  path: string,
  pieceSize: number,
  count: number,
  signal?: AbortSignal,
): Promise<{ whole: string; pieces: string[] }> {
  const whole = createHash("sha256");
  const pieces: string[] = [];
  let piece = createHash("sha256");
  let inPiece = 0;
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    signal?.throwIfAborted();
    whole.update(chunk);
    for (let at = 0; at < chunk.length;) {
      const take = Math.min(chunk.length - at, pieceSize - inPiece);
      piece.update(chunk.subarray(at, at + take));
      at += take;
      inPiece += take;
      if (inPiece === pieceSize) {
        pieces.push(piece.digest("hex"));
        piece = createHash("sha256");
        inPiece = 0;
      }
    }
  }
  if (inPiece > 0 || pieces.length < count) pieces.push(piece.digest("hex"));
  return { whole: whole.digest("hex"), pieces };
}
