import { join } from "node:path";
import { ToolFailedError } from "../core/errors.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { type CacheEntry, readIndexCache, writeIndexCache } from "./index_cache.ts";
import { UnreadableMediaError } from "./music_errors.ts";
import { readTrackTags } from "./read_tags.ts";
import { fingerprintFile } from "./run_fpcalc.ts";
import { type LibraryFile, listLibraryFiles } from "./walk_library.ts";

/** One fingerprinted library track. */
export interface LibraryTrack {
  path: string;
  rel: string;
  title: string;
  artist?: string;
  durationSec: number;
  values: Uint32Array;
}

/** The fingerprinted library the matcher searches. */
export interface LibraryIndex {
  dir: string;
  tracks: LibraryTrack[];
}

/** What a build did: files seen, fingerprinted now, taken from the cache, skipped (unreadable). */
export interface IndexStats {
  files: number;
  fingerprinted: number;
  reused: number;
  skipped: number;
  elapsedMs: number;
}

/** Where the library is, the tools, and where the cache goes. */
export interface BuildIndexOptions {
  dir: string;
  fpcalc: ResolvedTool;
  /** Reads titles and artists from tags; without it, file names are used. */
  ffprobe?: ResolvedTool;
  /** The index cache file; default `<dir>/.tgpipe-music-index.json`. */
  cachePath?: string;
  /** Files fingerprinted at once (default 3; each runs fpcalc and ffprobe side by side). */
  concurrency?: number;
  /** A file skipped (unreadable) or a cache that could not be used or written. */
  onWarning?: (message: string) => void;
  /** After each file: how many of the files are done. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

// Whole files are fingerprinted: an hour-long mix on a busy machine takes a while.
const FILE_TIMEOUT_MS = 600_000;

/** The cache file's name inside the library (hidden, so the walk skips it). */
export const CACHE_NAME = ".tgpipe-music-index.json";

/**
 * Builds the index of a library directory: every audio/video file fingerprinted with fpcalc,
 * reusing the cache for files whose path, size and mtime did not change, then writes the cache
 * back atomically. Unreadable files are skipped with a warning (and remembered, so not retried).
 * Throws MusicLibraryError for a missing directory, ToolMissingError when fpcalc is gone.
 *
 * @example
 * ```ts
 * const { index, stats } = await buildLibraryIndex({ dir: "/music", fpcalc, ffprobe, signal });
 * console.log(`${index.tracks.length} tracks, ${stats.fingerprinted} new`);
 * ```
 */
export async function buildLibraryIndex(
  opts: BuildIndexOptions,
): Promise<{ index: LibraryIndex; stats: IndexStats }> {
  const started = performance.now();
  const warn = opts.onWarning ?? (() => {});
  const files = await listLibraryFiles(opts.dir, opts.signal);
  const cachePath = opts.cachePath ?? join(opts.dir, CACHE_NAME);
  const cache = await readIndexCache(cachePath);
  if (cache.problem) warn(`Music index cache ${cache.problem}`);
  const known = new Map(cache.entries.map((e) => [e.rel, e]));

  const entries: CacheEntry[] = new Array(files.length);
  let fingerprinted = 0;
  let done = 0;
  const todo: number[] = [];
  files.forEach((f, i) => {
    const old = known.get(f.rel);
    if (old && old.size === f.size && old.mtimeMs === f.mtimeMs) entries[i] = old;
    else todo.push(i);
  });
  const reused = files.length - todo.length;
  done = reused;
  opts.onProgress?.(done, files.length);
  const lanes = Math.max(1, Math.min(opts.concurrency ?? 3, todo.length));
  let failure: { err: unknown } | undefined;
  await Promise.all(Array.from({ length: lanes }, async () => {
    // After a failure (fpcalc gone, an abort) the other lanes finish their file and stop.
    for (let i = todo.shift(); i !== undefined && !failure; i = todo.shift()) {
      try {
        entries[i] = await _index(files[i], opts);
      } catch (err) {
        failure ??= { err };
        return;
      }
      fingerprinted++;
      opts.onProgress?.(++done, files.length);
    }
  }));

  // Written even when the build failed, so the files done so far are not fingerprinted again.
  if (fingerprinted > 0 || cache.entries.length !== files.length) {
    await writeIndexCache(cachePath, entries.filter((e) => e !== undefined)).catch((err) =>
      warn(`Cannot write the music index cache ${cachePath}: ${(err as Error).message}`)
    );
  }
  if (failure) throw failure.err;
  const tracks: LibraryTrack[] = [];
  entries.forEach((e, i) => {
    if (e.error !== undefined || !e.values) {
      warn(`Skipped ${files[i].path}: ${e.error ?? "no fingerprint"}`);
      return;
    }
    tracks.push({
      path: files[i].path,
      rel: e.rel,
      title: e.title ?? e.rel,
      ...(e.artist !== undefined ? { artist: e.artist } : {}),
      durationSec: e.durationSec ?? 0,
      values: e.values,
    });
  });
  const stats: IndexStats = {
    files: files.length,
    fingerprinted,
    reused,
    skipped: files.length - tracks.length,
    elapsedMs: Math.round(performance.now() - started),
  };
  return { index: { dir: opts.dir, tracks }, stats };
}

// One file: fingerprint, then tags; an unreadable file becomes an error entry, anything else throws.
async function _index(f: LibraryFile, opts: BuildIndexOptions): Promise<CacheEntry> {
  const key = { rel: f.rel, size: f.size, mtimeMs: f.mtimeMs };
  try {
    const [fp, tags] = await Promise.all([
      fingerprintFile(opts.fpcalc, f.path, { signal: opts.signal, timeoutMs: FILE_TIMEOUT_MS }),
      readTrackTags(opts.ffprobe, f.path, opts.signal),
    ]);
    if (fp.values.length === 0) return { ...key, error: "too short to fingerprint" };
    return { ...key, ...tags, durationSec: fp.durationSec, values: fp.values };
  } catch (err) {
    if (err instanceof UnreadableMediaError) return { ...key, error: err.reason };
    if (err instanceof ToolFailedError) return { ...key, error: err.message, retry: true };
    throw err;
  }
}
