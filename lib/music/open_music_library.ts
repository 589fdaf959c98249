import { TgpipeError } from "../core/errors.ts";
import { findTool } from "../tools/find_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import {
  type BuildIndexOptions,
  buildLibraryIndex,
  type IndexStats,
  type LibraryIndex,
} from "./library_index.ts";
import { LocalMusicMatcher, type MatchThresholds } from "./local_matcher.ts";

/** Where the library is and how to find the tools (paths resolved by lib/cli). */
export interface OpenMusicLibraryOptions extends Omit<BuildIndexOptions, "fpcalc" | "ffprobe"> {
  /** $PATH as lib/cli read it. */
  searchPath: string;
  /** tgpipe's cache directory (bundled ffprobe). */
  cacheDir: string;
  /** A configured fpcalc binary instead of the one on `searchPath`. */
  fpcalcPath?: string;
  /** ffprobe for titles and artists from tags; found on `searchPath` when not given. */
  ffprobe?: ResolvedTool;
  thresholds?: Partial<MatchThresholds>;
}

/**
 * Finds fpcalc (ToolMissingError with the install hint when absent) and ffprobe (optional: file
 * names stand in for tags), builds or refreshes the library index and returns the local matcher.
 *
 * @example
 * ```ts
 * const { matcher, stats } = await openMusicLibrary({ dir: "/music", searchPath, cacheDir, signal });
 * const r = await matcher.match(voiceNotePath, signal);
 * ```
 */
export async function openMusicLibrary(
  opts: OpenMusicLibraryOptions,
): Promise<{ matcher: LocalMusicMatcher; index: LibraryIndex; stats: IndexStats; fpcalc: ResolvedTool }> {
  const where = { searchPath: opts.searchPath, cacheDir: opts.cacheDir, signal: opts.signal, version: false };
  const fpcalc = await findTool("fpcalc", { ...where, configured: opts.fpcalcPath });
  const ffprobe = opts.ffprobe ?? await findTool("ffprobe", where).catch((err) => {
    if (err instanceof TgpipeError) return undefined; // names from file names instead of tags
    throw err;
  });
  const { index, stats } = await buildLibraryIndex({ ...opts, fpcalc, ffprobe });
  return { matcher: new LocalMusicMatcher(index, fpcalc, opts.thresholds), index, stats, fpcalc };
}
