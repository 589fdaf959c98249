/**
 * The manifest of a generic split (docs/upload.md, "Split files"): a small JSON document sent
 * beside the pieces `name.001, name.002, ...` that names them in order with their sizes and
 * sha256, and the sha256 of the whole, so a download puts the original back and proves it.
 */

/** Format version written now; a reader refuses versions it does not know. */
export const SPLIT_MANIFEST_VERSION = 1;
/** The manifest's file name is the original's plus this. */
export const SPLIT_MANIFEST_SUFFIX = ".tgsplit.json";

/** One piece, in order: bytes [offset, offset + size) of the original. */
export interface SplitPiece {
  name: string;
  offset: number;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

/** What the manifest holds (snake_case: it is JSON people may read). */
export interface SplitManifest {
  format: "tgpipe-split";
  version: number;
  /** The original file name. */
  name: string;
  size: number;
  /** Lower-case hex sha256 of the whole original. */
  sha256: string;
  pieces: SplitPiece[];
}

/** `movie.mkv` -> `movie.mkv.tgsplit.json` */
export function manifestName(original: string): string {
  return original + SPLIT_MANIFEST_SUFFIX;
}

/** The i-th (0-based) of `count` pieces: `name.001` (more digits past 999 pieces). */
export function pieceName(original: string, i: number, count: number): string {
  return `${original}.${String(i + 1).padStart(Math.max(3, String(count).length), "0")}`;
}

/** The manifest as the bytes of its file (pretty JSON, newline at the end). */
export function encodeManifest(m: SplitManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m, null, 2) + "\n");
}

/**
 * Parses and checks a manifest: known format and version, pieces contiguous from 0 and adding
 * up to the size, names without paths, hashes in hex. Throws SyntaxError saying what is wrong.
 */
export function parseManifest(text: string): SplitManifest {
  let doc: Partial<SplitManifest>;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SyntaxError(`Split manifest is not JSON: ${(err as Error).message}`);
  }
  const bad = (why: string) => new SyntaxError(`Split manifest ${why}`);
  if (doc?.format !== "tgpipe-split") {
    throw bad(`has format ${JSON.stringify(doc?.format)}, not "tgpipe-split"`);
  }
  if (doc.version !== SPLIT_MANIFEST_VERSION) {
    throw bad(`version ${doc.version} is not supported (this tgpipe reads ${SPLIT_MANIFEST_VERSION})`);
  }
  if (!_name(doc.name)) throw bad("has no usable file name");
  if (!_count(doc.size) || !_hex(doc.sha256)) throw bad("has no size or sha256 of the whole");
  if (!Array.isArray(doc.pieces) || doc.pieces.length === 0) throw bad("lists no pieces");
  let at = 0;
  for (const [i, p] of doc.pieces.entries()) {
    if (!_name(p?.name) || !_count(p.size) || !_hex(p.sha256) || p.offset !== at) {
      throw bad(`piece ${i + 1} is malformed (name, size, sha256, or offset ${p?.offset} instead of ${at})`);
    }
    at += p.size;
  }
  if (at !== doc.size) throw bad(`pieces add up to ${at} bytes, not ${doc.size}`);
  return doc as SplitManifest;
}

function _name(v: unknown): v is string {
  // a name is never a path, and never a control character that a file system would refuse
  // deno-lint-ignore no-control-regex
  return typeof v === "string" && v.trim() !== "" && !/[/\\\u0000-\u001f]/.test(v) && !/^\.+$/.test(v);
}

function _count(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function _hex(v: unknown): v is string {
  return typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
}
