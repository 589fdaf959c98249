/** Where a progress store lives: a local KV file, a remote KV Connect URL, or process memory. */
export type StoreKind = "file" | "remote" | "memory";

/** A store location split into its kind and, for files, the file and its parent directory. */
export interface StoreLocation {
  location: string;
  kind: StoreKind;
  /** The KV file path (file kind only). */
  path?: string;
  /** The directory holding the KV file (file kind only). */
  dir?: string;
}

/** Classifies a `--kv` value: "http(s)://..." is KV Connect, ":memory:" is in-process, else a file. */
export function parseStoreLocation(location: string): StoreLocation {
  if (location.trim() === "") throw new RangeError("The progress store location is empty");
  if (/^https?:\/\//i.test(location)) return { location, kind: "remote" };
  if (location === ":memory:") return { location, kind: "memory" };
  const cut = location.replace(/[\\/]+$/, "").search(/[\\/][^\\/]*$/);
  const dir = cut < 0 ? "." : cut === 0 ? location.slice(0, 1) : location.slice(0, cut);
  return { location, kind: "file", path: location, dir };
}

/** True when the store already exists (remote and memory stores always count as existing). */
export async function storeExists(location: string): Promise<boolean> {
  const loc = parseStoreLocation(location);
  if (loc.kind !== "file") return true;
  return await pathExists(loc.path!);
}

/** True when a file or directory exists at path (other stat errors are thrown). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
