import { dirname } from "node:path";
import { packValues, unpackValues } from "./fingerprint.ts";

/** One cached file: its fingerprint and names, or why fpcalc could not read it (not retried). */
export interface CacheEntry {
  rel: string;
  size: number;
  mtimeMs: number;
  title?: string;
  artist?: string;
  durationSec?: number;
  values?: Uint32Array;
  /** Set when the file could not be fingerprinted; the same size and mtime are not tried again. */
  error?: string;
  /** A failure that says nothing about the file (fpcalc timed out): not cached, tried next time. */
  retry?: boolean;
}

interface _Json {
  version: number;
  entries: Array<{
    rel: string;
    size: number;
    mtime_ms: number;
    title?: string;
    artist?: string;
    duration?: number;
    fp?: string;
    error?: string;
  }>;
}

// Bumped when the stored form or fpcalc's arguments change: an old cache is then rebuilt.
const VERSION = 1;

/** Reads the index cache; a missing, unreadable or foreign file is an empty cache (returns why). */
export async function readIndexCache(path: string): Promise<{ entries: CacheEntry[]; problem?: string }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { entries: [] };
    return { entries: [], problem: `cannot read ${path}: ${(err as Error).message}` };
  }
  try {
    const json = JSON.parse(text) as _Json;
    if (json.version !== VERSION || !Array.isArray(json.entries)) {
      return { entries: [], problem: `${path} is from another version; rebuilding` };
    }
    return {
      entries: json.entries.map((e) => ({
        rel: e.rel,
        size: e.size,
        mtimeMs: e.mtime_ms,
        title: e.title,
        artist: e.artist,
        durationSec: e.duration,
        values: e.fp === undefined ? undefined : unpackValues(e.fp),
        error: e.error,
      })),
    };
  } catch (err) {
    return { entries: [], problem: `${path} is corrupt (${(err as Error).message}); rebuilding` };
  }
}

/** Writes the index cache atomically: a temp file beside it, renamed over the old one. */
export async function writeIndexCache(path: string, entries: readonly CacheEntry[]): Promise<void> {
  const json: _Json = {
    version: VERSION,
    entries: entries.filter((e) => !e.retry).map((e) => ({
      rel: e.rel,
      size: e.size,
      mtime_ms: e.mtimeMs,
      ...(e.title !== undefined ? { title: e.title } : {}),
      ...(e.artist !== undefined ? { artist: e.artist } : {}),
      ...(e.durationSec !== undefined ? { duration: e.durationSec } : {}),
      ...(e.values !== undefined ? { fp: packValues(e.values) } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
    })),
  };
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.part`;
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(json));
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}
