import { sha256File } from "./hash_file.ts";

/** Where canonical copies are remembered: in memory here, the KV store for export jobs. */
export interface DedupIndex {
  get(sha256: string): Promise<string | undefined>;
  set(sha256: string, path: string): Promise<void>;
}

/** What dedup decided for one file. */
export interface DedupResult {
  sha256: string;
  /** The path notes should link to. */
  canonical: string;
  /** True when `path` was a copy of `canonical` (and was removed unless `keep`). */
  duplicate: boolean;
}

/** A DedupIndex in a Map, for one process. */
export class MemoryDedupIndex implements DedupIndex {
  #map = new Map<string, string>();
  /** The canonical path for a hash. */
  get(sha256: string): Promise<string | undefined> {
    return Promise.resolve(this.#map.get(sha256));
  }
  /** Records the canonical path for a hash. */
  set(sha256: string, path: string): Promise<void> {
    this.#map.set(sha256, path);
    return Promise.resolve();
  }
}

/**
 * Stores identical media once: hashes `path`; when the index already has a canonical file with
 * that hash (and it still exists with the same size) the new copy is removed (unless `keep`) and
 * the canonical path returned, else `path` becomes canonical.
 */
export async function dedupMedia(
  path: string,
  opts: { index: DedupIndex; sha256?: string; keep?: boolean; signal?: AbortSignal },
): Promise<DedupResult> {
  const sha256 = opts.sha256 ?? await sha256File(path, { signal: opts.signal });
  const known = await opts.index.get(sha256);
  if (known !== undefined && known !== path) {
    const [a, b] = await Promise.all([_size(known), _size(path)]);
    if (a !== undefined && a === b) {
      if (!opts.keep) await Deno.remove(path);
      return { sha256, canonical: known, duplicate: true };
    }
  }
  await opts.index.set(sha256, path);
  return { sha256, canonical: path, duplicate: false };
}

async function _size(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    // The canonical copy was deleted since: the new file takes its place.
    return undefined;
  }
}
