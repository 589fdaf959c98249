/**
 * Puts a generically split file back together on download: the pieces in the manifest's order
 * into `<dest>.part`, each piece's and the whole's sha256 checked against the manifest, renamed
 * into place only when every hash matches, and only then the pieces removed. On any mismatch the
 * `.part` goes and the pieces stay, so nothing is lost and the error says which piece is wrong.
 */
import { createHash } from "node:crypto";
import { TgpipeError } from "../core/errors.ts";
import type { SplitManifest } from "./split_manifest.ts";

/** A split that cannot be put back: a piece missing, short, or not the bytes the manifest names. */
export class SplitMismatchError extends TgpipeError {
  readonly original: string;
  constructor(
    message: string,
    data: { original: string; piece?: string; expected?: string; actual?: string },
  ) {
    super(message, { code: "SPLIT_MISMATCH", data });
    this.original = data.original;
  }
}

/** What reassembly did. */
export interface Reassembled {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Reassembles `manifest` from `pieces` (piece name -> path on disk) into `dest`. Throws
 * SplitMismatchError (pieces kept) when a piece is missing, has another size, or a hash differs.
 */
export async function reassemble(
  manifest: SplitManifest,
  pieces: ReadonlyMap<string, string>,
  dest: string,
  opts: { signal?: AbortSignal } = {},
): Promise<Reassembled> {
  const paths = await _checkPieces(manifest, pieces);
  const part = `${dest}.part`;
  const whole = createHash("sha256");
  try {
    {
      using out = await Deno.open(part, { write: true, create: true, truncate: true });
      for (const [i, p] of manifest.pieces.entries()) {
        const got = await _copyPiece(paths[i], out, whole, opts.signal);
        if (got !== p.sha256) {
          throw new SplitMismatchError(
            `Piece ${p.name} of ${manifest.name} is not the one its manifest names (sha256 differs); the pieces were kept`,
            {
              original: manifest.name,
              piece: p.name,
              expected: p.sha256,
              actual: got,
            },
          );
        }
      }
      await out.sync();
    }
    const sha256 = whole.digest("hex");
    if (sha256 !== manifest.sha256) {
      throw new SplitMismatchError(
        `The pieces of ${manifest.name} put together do not match its manifest (sha256 differs); the pieces were kept`,
        {
          original: manifest.name,
          expected: manifest.sha256,
          actual: sha256,
        },
      );
    }
    await Deno.rename(part, dest);
    for (const path of paths) await Deno.remove(path).catch(() => {});
    return { path: dest, bytes: manifest.size, sha256 };
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
}

async function _checkPieces(manifest: SplitManifest, pieces: ReadonlyMap<string, string>): Promise<string[]> {
  const paths: string[] = [];
  for (const p of manifest.pieces) {
    const path = pieces.get(p.name);
    const size = path === undefined ? undefined : await Deno.stat(path).then((s) => s.size, () => undefined);
    if (size === undefined) {
      throw new SplitMismatchError(
        `Piece ${p.name} of ${manifest.name} is missing; the other pieces were kept`,
        {
          original: manifest.name,
          piece: p.name,
        },
      );
    }
    if (size !== p.size) {
      throw new SplitMismatchError(
        `Piece ${p.name} of ${manifest.name} has ${size} bytes, its manifest says ${p.size}; the pieces were kept`,
        {
          original: manifest.name,
          piece: p.name,
        },
      );
    }
    paths.push(path!);
  }
  return paths;
}

async function _copyPiece(
  path: string,
  out: Deno.FsFile,
  whole: ReturnType<typeof createHash>,
  signal?: AbortSignal,
): Promise<string> {
  const h = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    signal?.throwIfAborted();
    h.update(chunk);
    whole.update(chunk);
    for (let at = 0; at < chunk.length;) at += await out.write(chunk.subarray(at));
  }
  return h.digest("hex");
}
