import { parseStoreLocation, pathExists, type StoreKind } from "./store_location.ts";

/** What `probeStore` found out about a store location. */
export interface StoreProbe {
  location: string;
  kind: StoreKind;
  /** A probe key could be written and deleted. */
  writable: boolean;
  /** Why the store is not usable, when it is not. */
  error?: string;
  /** The parent directory the probe created (only with `createParent`). */
  createdDir?: string;
}

/** Options of `probeStore`. */
export interface ProbeStoreOptions {
  /** Create a missing parent directory (the CLI sets this for the default location). Default false. */
  createParent?: boolean;
}

const PROBE_KEY = ["tgpipe", "probe"];

/**
 * Checks that a progress store can be opened and written: opens it, writes and deletes a probe
 * key. Never throws for an unusable store; the answer says why. A file store that did not exist
 * before is removed again, so probing leaves nothing behind.
 *
 * @example
 * ```ts
 * const p = await probeStore("/tmp/progress.kv");
 * if (!p.writable) console.error(p.error);
 * ```
 */
export async function probeStore(location: string, opts: ProbeStoreOptions = {}): Promise<StoreProbe> {
  let loc;
  try {
    loc = parseStoreLocation(location);
  } catch (err) {
    return { location, kind: "file", writable: false, error: (err as Error).message };
  }
  const out: StoreProbe = { location, kind: loc.kind, writable: false };
  let existed = true;
  if (loc.kind === "file") {
    try {
      if (!(await pathExists(loc.dir!))) {
        if (!opts.createParent) return { ...out, error: `Directory ${loc.dir} does not exist` };
        await Deno.mkdir(loc.dir!, { recursive: true });
        out.createdDir = loc.dir;
      }
      existed = await pathExists(loc.path!);
    } catch (err) {
      return { ...out, error: _firstLine(err) };
    }
  }
  let kv: Deno.Kv | undefined;
  try {
    kv = await Deno.openKv(location);
    const probe = { at: Date.now() };
    const res = await kv.atomic().set(PROBE_KEY, probe).commit();
    if (!res.ok) throw new Error("Probe write was rejected");
    await kv.delete(PROBE_KEY);
    out.writable = true;
  } catch (err) {
    out.error = _firstLine(err);
  } finally {
    kv?.close();
  }
  if (loc.kind === "file" && !existed) await _removeKvFiles(loc.path!);
  return out;
}

async function _removeKvFiles(path: string): Promise<void> {
  // SQLite keeps -wal and -shm side files next to the database while it is open.
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      await Deno.remove(p);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
}

function _firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0].trim() || "Unknown error";
}
