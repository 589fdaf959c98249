/**
 * How one file goes to Telegram (--as): photos as photos while within Telegram's photo limits,
 * videos as streamable videos with duration, size and a JPEG thumbnail (≤ 320 px), audio with
 * duration, title and performer, anything else as a document. `document` sends every file as a
 * plain document; `media` is `auto` that fails a file which cannot go as media instead of
 * falling back to a document.
 */
import { extname } from "node:path";
import { TgpipeError } from "../../core/errors.ts";
import { parseProbe, type ProbeInfo } from "../../media/parse_probe.ts";
import { renderImage } from "../../media/render_image.ts";
import { findTool, type ResolvedTool } from "../../tools/find_tool.ts";
import { runTool } from "../../tools/run_tool.ts";

/** How a file is sent. */
export interface MediaPlan {
  kind: "photo" | "document";
  mime: string;
  video?: { duration: number; w: number; h: number; streaming: boolean };
  audio?: { duration: number; title?: string; performer?: string };
  /** A JPEG thumbnail made for it (the caller uploads and then deletes it). */
  thumbPath?: string;
}

/** The tools the media decisions use; a missing one makes the file a document (auto). */
export interface MediaTools {
  ffprobe?: ResolvedTool;
  ffmpeg?: ResolvedTool;
}

const MIME: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  m4v: "video/mp4",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  webm: "video/webm",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  flac: "audio/flac",
  wav: "audio/wav",
  pdf: "application/pdf",
  zip: "application/zip",
  txt: "text/plain",
};
// Telegram's photo limits: past them a photo is refused (PHOTO_INVALID_DIMENSIONS & co.)
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_MAX_SIDES = 10_000;
const PHOTO_MAX_RATIO = 20;

/** The MIME type of a file name (application/octet-stream when unknown). */
export function mimeOf(name: string, given?: string): string {
  return given ?? MIME[extname(name).slice(1).toLowerCase()] ?? "application/octet-stream";
}

/** Decides how `name` (at `path` when it is a local file) goes up; see the module comment. */
export async function planMedia(
  f: { name: string; path?: string; size: number | undefined; mime?: string },
  as: "auto" | "document" | "media",
  c: { tools: MediaTools; thumbPath: string; thumbFrom?: string; signal: AbortSignal },
): Promise<MediaPlan> {
  const mime = mimeOf(f.name, f.mime);
  const kind = /^(image\/(jpeg|png|webp))$/.test(mime) ? "image" : mime.split("/")[0];
  if (as === "document" || !f.path || !["image", "video", "audio"].includes(kind)) {
    return { kind: "document", mime };
  }
  const refuse = (why: string) => {
    if (as === "media") {
      throw new TgpipeError(`File ${f.name} cannot go as media: ${why}`, { code: "NOT_MEDIA" });
    }
    return { kind: "document" as const, mime };
  };
  let info: _Probed;
  try {
    info = await _probe(f.path, c.tools, c.signal);
  } catch (err) {
    if (c.signal.aborted) throw err;
    return refuse((err as Error).message);
  }
  if (kind === "image") {
    const w = info.width ?? 0, h = info.height ?? 0;
    const ok = (f.size ?? Infinity) <= PHOTO_MAX_BYTES && w > 0 && h > 0 && w + h <= PHOTO_MAX_SIDES &&
      Math.max(w / h, h / w) <= PHOTO_MAX_RATIO;
    if (!ok) {
      if (as === "media") {
        throw new TgpipeError(`Photo ${f.name} is past Telegram's photo limits`, { code: "TOO_BIG" });
      }
      return { kind: "document", mime };
    }
    return { kind: "photo", mime };
  }
  if (kind === "video" && info.has_video) {
    const video = {
      duration: info.duration_s ?? 0,
      w: info.width ?? 0,
      h: info.height ?? 0,
      streaming: /mp4|mov/.test(info.format),
    };
    const thumbPath = await _thumb(f.path, video.duration, c);
    return { kind: "document", mime, video, thumbPath };
  }
  if (info.has_audio && !info.has_video) {
    const audio = { duration: info.duration_s ?? 0, ...info.tags };
    // the cover a page offered (grab); a plain audio file goes without one
    const thumbPath = c.thumbFrom ? await _thumb(f.path, 0, c) : undefined;
    return { kind: "document", mime, audio, ...(thumbPath ? { thumbPath } : {}) };
  }
  return refuse("no video or audio stream");
}

type _Probed = ProbeInfo & { tags?: { title?: string; performer?: string } };

async function _probe(path: string, tools: MediaTools, signal: AbortSignal): Promise<_Probed> {
  if (!tools.ffprobe) throw new Error("ffprobe is not installed");
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path];
  const { stdout } = await runTool(tools.ffprobe, args, { signal, maxStdoutBytes: 4 << 20 });
  const text = new TextDecoder().decode(stdout);
  const info = parseProbe(text);
  const tags = (JSON.parse(text).format?.tags ?? {}) as Record<string, string>;
  const pick = (k: string) => tags[k] ?? tags[k.toUpperCase()];
  const title = pick("title"), performer = pick("artist");
  return { ...info, tags: title || performer ? { title, performer } : undefined };
}

/** The JPEG thumbnail (<= 320 px), from `thumbFrom` or a video frame; undefined when it cannot be made. */
async function _thumb(
  path: string,
  duration: number,
  c: { tools: MediaTools; thumbPath: string; thumbFrom?: string; signal: AbortSignal },
): Promise<string | undefined> {
  // a frame a little in, not the first: first frames are often black
  const src = c.thumbFrom ? { image: c.thumbFrom } : { video: path, atSeconds: Math.min(1, duration / 2) };
  try {
    await renderImage(src, c.thumbPath, {
      format: "jpeg",
      maxSize: 320,
      quality: 80,
      engine: "auto",
      ffmpeg: c.tools.ffmpeg,
      signal: c.signal,
    });
    return c.thumbPath;
  } catch (err) {
    if (c.signal.aborted) throw err;
    return undefined; // a file without a thumbnail still plays
  }
}

/** ffprobe and ffmpeg for the media decisions; a missing one is left out (files go as documents). */
export async function findMediaTools(
  t: { ffmpeg?: string; ffprobe?: string; searchPath: string; cacheDir: string },
  signal?: AbortSignal,
): Promise<MediaTools> {
  const find = (name: "ffmpeg" | "ffprobe", configured?: string) =>
    // only run, never shown: no version probes (each a start-up of the tool)
    findTool(name, { configured, searchPath: t.searchPath, cacheDir: t.cacheDir, version: false, signal })
      .catch(() => undefined);
  const [ffprobe, ffmpeg] = await Promise.all([find("ffprobe", t.ffprobe), find("ffmpeg", t.ffmpeg)]);
  return { ffprobe, ffmpeg };
}
