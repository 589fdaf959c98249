/** The tools the bot runs: yt-dlp (required), ffmpeg and ffprobe (optional), and the music library. */
import { ToolMissingError } from "../../core/errors.ts";
import { openMusicLibrary } from "../../music/open_music_library.ts";
import type { MusicMatcher } from "../../music/music_matcher.ts";
import type { Emit } from "../../progress/events.ts";
import { findTool, type ToolName } from "../../tools/find_tool.ts";
import type { ResolvedTool } from "../../tools/tool_types.ts";

/** Where the tools are (paths resolved by lib/cli). */
export interface BotToolsOptions {
  /** $PATH as lib/cli read it. */
  searchPath: string;
  cacheDir: string;
  ytDlp?: string;
  ffmpeg?: string;
  ffprobe?: string;
  fpcalc?: string;
  /** The music library to recognise songs against; none: recognition says it is not set up. */
  musicLibrary?: string;
}

/** The resolved tools. */
export interface BotTools {
  ytDlp: ResolvedTool;
  ffmpeg?: ResolvedTool;
  ffmpegPath?: string;
  ffprobe?: ResolvedTool;
  matcher?: MusicMatcher;
}

/** Finds the tools and indexes the music library (ToolMissingError without yt-dlp or fpcalc). */
export async function openBotTools(
  opts: BotToolsOptions & { emit: Emit; signal?: AbortSignal },
): Promise<BotTools> {
  const where = { searchPath: opts.searchPath, cacheDir: opts.cacheDir, version: false, signal: opts.signal };
  const optional = (name: ToolName, configured?: string) =>
    findTool(name, { ...where, configured }).catch((err) => {
      if (err instanceof ToolMissingError) return undefined;
      throw err;
    });
  const ytDlp = await findTool("yt-dlp", { ...where, configured: opts.ytDlp });
  const ffmpeg = await optional("ffmpeg", opts.ffmpeg);
  const ffprobe = await optional("ffprobe", opts.ffprobe);
  let matcher: MusicMatcher | undefined;
  if (opts.musicLibrary) {
    const lib = await openMusicLibrary({
      dir: opts.musicLibrary,
      searchPath: opts.searchPath,
      cacheDir: opts.cacheDir,
      fpcalcPath: opts.fpcalc,
      ffprobe,
      signal: opts.signal,
      onWarning: (message) => opts.emit({ type: "warning", code: "MUSIC_LIBRARY", message }),
    });
    matcher = lib.matcher;
    opts.emit({
      type: "log",
      level: "info",
      message: `music library: ${lib.index.tracks.length} tracks indexed`,
    });
  }
  return { ytDlp, ffmpeg, ffmpegPath: ffmpeg?.path, ffprobe, matcher };
}
