import { ToolFailedError, ToolMissingError } from "../core/errors.ts";
import { isCompiled } from "../core/is_compiled.ts";
import { extractTool } from "./extract_tool.ts";
import { toolVersion } from "./tool_version.ts";
import type { ResolvedTool, ToolName } from "./tool_types.ts";

export type { ResolvedTool, ToolName } from "./tool_types.ts";

/** Where to look for a tool; `searchPath` is $PATH as resolved by lib/cli. */
export interface FindToolOptions {
  /** A path (or bare command name) from a flag, env var or the config file; wins over PATH. */
  configured?: string;
  /** Directories to search, joined like $PATH. */
  searchPath: string;
  /** tgpipe's cache directory: bundled binaries are extracted under `<cacheDir>/tools`. */
  cacheDir: string;
  /**
   * Ask the tool for its version (default true). A command that only runs the tool turns it off:
   * `yt-dlp --version` is a whole Python start-up.
   */
  version?: boolean;
  signal?: AbortSignal;
}

/** Every tool tgpipe can use, in the order doctor lists them. */
export const TOOL_NAMES: readonly ToolName[] = [
  "ffmpeg",
  "ffprobe",
  "whisper-cli",
  "rclone",
  "yt-dlp",
  "python3-telethon",
  "fpcalc",
];

const EXE: Record<ToolName, string> = {
  ffmpeg: "ffmpeg",
  ffprobe: "ffprobe",
  "whisper-cli": "whisper-cli",
  rclone: "rclone",
  "yt-dlp": "yt-dlp",
  "python3-telethon": "python3",
  fpcalc: "fpcalc",
};

const SETTING: Record<ToolName, string> = {
  ffmpeg: "--ffmpeg or TGPIPE_FFMPEG",
  ffprobe: "--ffprobe or TGPIPE_FFPROBE",
  "whisper-cli": "--whisper-cli or TGPIPE_WHISPER_CLI",
  rclone: "TGPIPE_RCLONE",
  "yt-dlp": "TGPIPE_YT_DLP",
  "python3-telethon": "a python3 on PATH",
  fpcalc: "the fpcalc setting",
};

/** How to get each tool when it is missing. */
export const INSTALL_HINTS: Record<ToolName, string> = {
  ffmpeg: "install it with `apt-get install ffmpeg` (Debian/Ubuntu), or run `deno install` so the " +
    "npm:@ffmpeg-installer/ffmpeg fallback is present, or point --ffmpeg at a binary",
  ffprobe: "install it with `apt-get install ffmpeg` (Debian/Ubuntu), or run `deno install` so the " +
    "npm:@ffprobe-installer/ffprobe fallback is present, or point --ffprobe at a binary",
  "whisper-cli": "build it from whisper.cpp with scripts/build_whisper.sh (needs cmake, g++, npm; " +
    "output .cache/whisper/bin/whisper-cli), then put it on PATH or pass --whisper-cli",
  rclone: "install it with `apt-get install rclone` (Debian/Ubuntu) or from rclone.org",
  "yt-dlp": "install it with `apt-get install yt-dlp` (Debian/Ubuntu) or `pipx install yt-dlp`",
  "python3-telethon": "install it with `apt-get install python3-telethon` (Debian/Ubuntu)",
  fpcalc:
    "install it with `apt-get install libchromaprint-tools` (Debian/Ubuntu); music recognition needs it",
};

const BUNDLED: Partial<Record<ToolName, () => Promise<{ path: string; version: string }>>> = {
  // String-literal specifiers so `deno compile` embeds both packages and their binaries.
  ffmpeg: async () => (await import("@ffmpeg-installer/ffmpeg")).default,
  ffprobe: async () => (await import("@ffprobe-installer/ffprobe")).default,
};

/**
 * Finds a tool: the configured path first (an error if it does not exist, never a silent
 * fallback), then `searchPath`, then for ffmpeg/ffprobe the binaries shipped by npm. Throws
 * ToolMissingError with an install hint when none is usable.
 *
 * @example
 * ```ts
 * const ffmpeg = await findTool("ffmpeg", { configured: settings.ffmpeg, searchPath, cacheDir });
 * console.log(ffmpeg.path, ffmpeg.version, ffmpeg.source);
 * ```
 */
export async function findTool(name: ToolName, opts: FindToolOptions): Promise<ResolvedTool> {
  if (!(name in EXE)) throw new TypeError(`Unknown tool "${name}"`);
  opts.signal?.throwIfAborted();
  if (opts.configured !== undefined && opts.configured !== "") return await _configured(name, opts);

  const candidates = await _onPath(EXE[name], opts.searchPath);
  if (name === "python3-telethon") return await _telethon(candidates, opts.signal);
  if (candidates.length > 0) {
    const path = candidates[0];
    const version = opts.version === false ? undefined : await _versionOrUndefined(name, path, opts.signal);
    return { name, path, version, source: "path" };
  }
  const bundled = await _bundled(name, opts);
  if (bundled) return bundled;
  throw new ToolMissingError(name, INSTALL_HINTS[name]);
}

async function _configured(name: ToolName, opts: FindToolOptions): Promise<ResolvedTool> {
  const configured = opts.configured!;
  let path: string | undefined = configured;
  if (!/[\\/]/.test(configured)) path = (await _onPath(configured, opts.searchPath))[0];
  const info = path === undefined ? undefined : await Deno.stat(path).catch(() => undefined);
  if (path === undefined || !info?.isFile) {
    throw new ToolMissingError(
      name,
      `the configured ${name} "${configured}" does not exist; fix or unset ${SETTING[name]}`,
    );
  }
  if (name === "python3-telethon") return { ...(await _telethon([path], opts.signal)), source: "configured" };
  const version = opts.version === false ? undefined : await _versionOrUndefined(name, path, opts.signal);
  return { name, path, version, source: "configured" };
}

/** Every executable called `exe` in the PATH-like list, in order. */
async function _onPath(exe: string, searchPath: string): Promise<string[]> {
  const windows = Deno.build.os === "windows";
  const found: string[] = [];
  for (const dir of searchPath.split(windows ? ";" : ":")) {
    if (dir === "") continue; // an empty entry means "." in POSIX shells; never run from cwd
    for (const file of windows ? [`${exe}.exe`, exe] : [exe]) {
      const path = `${dir.replace(/[\\/]+$/, "")}/${file}`;
      const info = await Deno.stat(path).catch(() => undefined);
      if (info?.isFile && (windows || info.mode === null || (info.mode & 0o111) !== 0)) {
        if (!found.includes(path)) found.push(path);
        break;
      }
    }
  }
  return found;
}

/** The first python3 that can import telethon (Debian's module lives in /usr/bin/python3's path). */
async function _telethon(pythons: string[], signal?: AbortSignal): Promise<ResolvedTool> {
  for (const path of pythons) {
    try {
      const version = await toolVersion({ name: "python3-telethon", path }, { signal });
      if (version) return { name: "python3-telethon", path, version, source: "path" };
    } catch (err) {
      if (!(err instanceof ToolFailedError)) throw err;
    }
  }
  const why = pythons.length === 0 ? "no python3 on PATH" : `no python3 on PATH can import telethon`;
  throw new ToolMissingError("python3-telethon", `${why}; ${INSTALL_HINTS["python3-telethon"]}`);
}

async function _bundled(name: ToolName, opts: FindToolOptions): Promise<ResolvedTool | undefined> {
  const load = BUNDLED[name];
  if (!load) return undefined;
  let pkg: { path: string; version: string };
  try {
    pkg = await load();
  } catch {
    return undefined; // not installed, or no binary for this platform
  }
  let path = pkg.path;
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isFile) return undefined;
  const runnable = Deno.build.os === "windows" || (info.mode !== null && (info.mode & 0o100) !== 0);
  // A compiled tgpipe serves the binary from its embedded file system, which cannot be executed;
  // npm installs without approved scripts leave it without its exec bit. Both run from a copy.
  if (isCompiled() || !runnable) {
    path = await extractTool(path, {
      cacheDir: opts.cacheDir,
      name,
      version: pkg.version,
      signal: opts.signal,
    });
  }
  try {
    const version = await toolVersion({ name, path }, { signal: opts.signal });
    return { name, path, version: version ?? pkg.version, source: "bundled" };
  } catch (err) {
    if (err instanceof ToolFailedError) return undefined;
    throw err;
  }
}

async function _versionOrUndefined(
  name: ToolName,
  path: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    return await toolVersion({ name, path }, { signal });
  } catch (err) {
    // A tool that is present but fails to print its version is still reported as found;
    // its first real run will fail loudly with the stderr tail.
    if (err instanceof ToolFailedError) return undefined;
    throw err;
  }
}
