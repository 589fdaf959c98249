import { isAbsolute, join, relative } from "node:path";
import type { DedupIndex } from "./dedup.ts";
import { writeViaPart } from "./write_part.ts";

/**
 * A DedupIndex kept as a small JSON file (sha256 -> path relative to `root`), so identical media
 * is stored once across runs of the same output folder. Paths are relative so the folder can
 * move; the file is rewritten atomically (part file, then rename) by `flush`.
 *
 * @example
 * ```ts
 * const index = await JsonDedupIndex.open("vault", "vault/.tgpipe/media-index.json");
 * await dedupMedia("vault/chats/1/media/a.jpg", { index });
 * await index.flush();
 * ```
 */
export class JsonDedupIndex implements DedupIndex {
  #map: Map<string, string>;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(readonly root: string, readonly file: string, map: Map<string, string>) {
    this.#map = map;
  }

  /** Loads the index at `file` (a missing or unreadable file is an empty index). */
  static async open(root: string, file: string): Promise<JsonDedupIndex> {
    const map = new Map<string, string>();
    try {
      const doc = JSON.parse(await Deno.readTextFile(file)) as { files?: Record<string, string> };
      for (const [sha, path] of Object.entries(doc.files ?? {})) {
        if (/^[0-9a-f]{64}$/.test(sha) && typeof path === "string") map.set(sha, path);
      }
    } catch {
      // First run, or a damaged index: dedup starts over, which only costs disk space.
    }
    return new JsonDedupIndex(root, file, map);
  }

  /** Entries in the index. */
  get size(): number {
    return this.#map.size;
  }

  /** The canonical (absolute) path for a hash. */
  get(sha256: string): Promise<string | undefined> {
    const rel = this.#map.get(sha256);
    return Promise.resolve(rel === undefined ? undefined : join(this.root, rel));
  }

  /** Records the canonical path for a hash (written by the next `flush`). */
  set(sha256: string, path: string): Promise<void> {
    const rel = isAbsolute(path) ? relative(this.root, path) : path;
    if (this.#map.get(sha256) !== rel) {
      this.#map.set(sha256, rel);
      this.#dirty = true;
    }
    return Promise.resolve();
  }

  /** Writes the index if it changed; concurrent calls are serialised. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const files = Object.fromEntries([...this.#map].sort(([a], [b]) => a < b ? -1 : 1));
      await Deno.mkdir(join(this.file, ".."), { recursive: true });
      const text = JSON.stringify({ version: 1, files }, null, 1) + "\n";
      await writeViaPart(this.file, (part) => Deno.writeTextFile(part, text));
    });
    return this.#writing;
  }
}
