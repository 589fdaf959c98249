/**
 * How a grabbed file goes back to the user: as a streamable video or an audio track with its
 * duration, size and tags (probed with ffprobe), a thumbnail scaled to Telegram's 320 px, and the
 * title and source link as caption.
 */
import { extname, join } from "node:path";
import type { BotFile } from "../../core/bot_types.ts";
import type { GrabbedFile } from "../../grab/grab_link.ts";
import { parseProbe, type ProbeInfo } from "../../media/parse_probe.ts";
import { runTool } from "../../tools/run_tool.ts";
import type { ResolvedTool } from "../../tools/tool_types.ts";

const MIME: Record<string, string> = {
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".webm": "video/webm",
  ".mkv": "video/x-matroska",
  ".mov": "video/quicktime",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".aac": "audio/aac",
  ".opus": "audio/ogg",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
  ".wav": "audio/wav",
};

/** The tools the file's metadata comes from (either may be missing: the file still goes). */
export interface BotFileTools {
  ffprobe?: ResolvedTool;
  ffmpeg?: ResolvedTool;
}

/** The BotFile of `f` (see module comment); `work` is a folder for the scaled thumbnail. */
export async function botFileOf(
  f: GrabbedFile,
  tools: BotFileTools,
  work: string,
  signal?: AbortSignal,
): Promise<BotFile> {
  const probe = tools.ffprobe
    ? await _probe(tools.ffprobe, f.path, signal).catch(() => undefined)
    : undefined;
  const duration = Math.round(probe?.duration_s ?? f.duration ?? 0);
  const thumb = f.thumbnail && tools.ffmpeg
    ? await _thumb(tools.ffmpeg, f.thumbnail, join(work, "thumb.jpg"), signal).catch(() => undefined)
    : undefined;
  const base = {
    path: f.path,
    caption: `${f.title}\n${f.source_url}`,
    as: "media" as const,
    mime_type: MIME[extname(f.path).toLowerCase()],
    thumb_path: thumb,
  };
  if (f.kind === "audio" || (probe && !probe.has_video)) {
    return { ...base, audio: { duration, title: f.title, performer: f.uploader } };
  }
  return { ...base, video: { duration, w: probe?.width ?? 0, h: probe?.height ?? 0, streaming: true } };
}

async function _probe(ffprobe: ResolvedTool, path: string, signal?: AbortSignal): Promise<ProbeInfo> {
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path];
  const { stdout } = await runTool(ffprobe, args, { signal, timeoutMs: 60_000 });
  return parseProbe(new TextDecoder().decode(stdout));
}

// Telegram takes thumbnails of at most 320 px a side
async function _thumb(
  ffmpeg: ResolvedTool,
  src: string,
  dest: string,
  signal?: AbortSignal,
): Promise<string> {
  const scale = "scale='min(320,iw)':'min(320,ih)':force_original_aspect_ratio=decrease";
  await runTool(ffmpeg, ["-v", "error", "-y", "-i", src, "-vf", scale, "-frames:v", "1", dest], {
    signal,
    timeoutMs: 60_000,
  });
  return dest;
}
