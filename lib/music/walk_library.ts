import { join, relative } from "node:path";
import { MusicLibraryError } from "./music_errors.ts";

/** One audio or video file of the library, with what the index cache is keyed by. */
export interface LibraryFile {
  path: string;
  /** Path relative to the library root, "/"-separated: the cache key with size and mtime. */
  rel: string;
  size: number;
  mtimeMs: number;
}

/** File extensions the index fingerprints (lower case, without the dot). */
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set([
  "mp3",
  "m4a",
  "aac",
  "flac",
  "ogg",
  "oga",
  "opus",
  "wav",
  "wma",
  "aiff",
  "aif",
  "ape",
  "wv",
  "mka",
  "mp4",
  "m4v",
  "mkv",
  "webm",
  "mov",
  "avi",
]);

/**
 * Every media file under `dir`, recursively, sorted by relative path. Hidden files and folders
 * (the index cache among them) and symlinked folders (which could loop) are skipped. Throws
 * MusicLibraryError when `dir` is missing or not a directory.
 */
export async function listLibraryFiles(dir: string, signal?: AbortSignal): Promise<LibraryFile[]> {
  const info = await Deno.stat(dir).catch(() => undefined);
  if (!info) throw new MusicLibraryError(`Music library ${dir} does not exist`, dir);
  if (!info.isDirectory) throw new MusicLibraryError(`Music library ${dir} is not a directory`, dir);
  const out: LibraryFile[] = [];
  const walk = async (at: string) => {
    signal?.throwIfAborted();
    for await (const e of Deno.readDir(at)) {
      if (e.name.startsWith(".")) continue;
      const path = join(at, e.name);
      if (e.isDirectory) {
        await walk(path);
        continue;
      }
      const ext = e.name.slice(e.name.lastIndexOf(".") + 1).toLowerCase();
      if (!e.name.includes(".") || !MEDIA_EXTENSIONS.has(ext)) continue;
      const st = await Deno.stat(path).catch(() => undefined);
      if (!st?.isFile) continue;
      out.push({
        path,
        rel: relative(dir, path).split("\\").join("/"),
        size: st.size,
        mtimeMs: st.mtime?.getTime() ?? 0,
      });
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
