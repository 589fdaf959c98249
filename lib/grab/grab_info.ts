/**
 * tgpipe's own model of what a link offers, mapped from `yt-dlp -J` (whose formats are untyped
 * dicts): title, uploader, duration, thumbnail and the qualities a person can choose from.
 * Field names are snake_case: the model is the `grab_info` result's wire format.
 */
import type { PlatformId } from "./platforms.ts";

/** One format yt-dlp can download. */
export interface GrabQuality {
  /** yt-dlp's format id: what `--quality <id>` takes. */
  format_id: string;
  ext?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Video codec; absent for audio-only formats. */
  vcodec?: string;
  /** Audio codec; absent for video-only formats. */
  acodec?: string;
  audio_only: boolean;
  /** Video without sound: grab merges the best audio into it. */
  video_only: boolean;
  /** Bytes: exact when the site says so, else estimated (see `size_estimated`). */
  size?: number;
  /** True when `size` is yt-dlp's approximation or bitrate × duration. */
  size_estimated?: boolean;
  /** Total bitrate in kbit/s. */
  tbr?: number;
  protocol?: string;
  /** yt-dlp's note (language, "DASH video", ...). */
  note?: string;
}

/** What a link offers. */
export interface GrabInfo {
  /** The link as given. */
  url: string;
  platform: PlatformId;
  id: string;
  title: string;
  uploader?: string;
  /** Seconds. */
  duration?: number;
  /** The thumbnail's URL. */
  thumbnail?: string;
  /** The canonical page of the video. */
  webpage_url?: string;
  /** yt-dlp's extractor that read it (Youtube, Generic, ...). */
  extractor?: string;
  /** Videos in it, when the link is a playlist (its first video's qualities are listed). */
  entries?: number;
  /** Worst first, as yt-dlp sorts them: the last is what `--quality best` takes. */
  qualities: GrabQuality[];
  /** The format(s) yt-dlp picked for the requested quality, when it was asked with one. */
  selected?: string[];
}

type Dict = Record<string, unknown>;

/**
 * Maps one `yt-dlp -J` answer (or part of it, as the download's `--print` gives) into GrabInfo.
 *
 * @throws {TypeError} when `json` is not an object
 */
export function mapInfo(json: unknown, ctx: { url: string; platform: PlatformId }): GrabInfo {
  if (!_isDict(json)) throw new TypeError("yt-dlp info is not a JSON object");
  let video: Dict = json;
  let entries: number | undefined;
  if (json._type === "playlist" && Array.isArray(json.entries)) {
    entries = json.entries.length;
    video = json.entries.find(_isDict) ?? json;
  }
  const duration = _num(video.duration);
  const formats = Array.isArray(video.formats) ? video.formats.filter(_isDict) : [];
  const requested = Array.isArray(video.requested_formats) ? video.requested_formats.filter(_isDict) : [];
  const qualities = formats.filter((f) => f.format_id !== undefined && !_isStoryboard(f))
    .map((f) => mapQuality(f, duration));
  const selected = requested.length > 0
    ? requested.map((f) => String(f.format_id))
    : typeof video.format_id === "string" && formats.length > 0
    ? [video.format_id]
    : undefined;
  return {
    url: ctx.url,
    platform: ctx.platform,
    id: _str(video.id) ?? "",
    title: _str(video.title) ?? _str(video.id) ?? ctx.url,
    uploader: _str(video.uploader) ?? _str(video.channel) ?? _str(video.creator),
    duration,
    thumbnail: _str(video.thumbnail) ?? _lastThumb(video.thumbnails),
    webpage_url: _str(video.webpage_url),
    extractor: _str(video.extractor_key),
    ...(entries !== undefined ? { entries } : {}),
    qualities,
    ...(selected ? { selected } : {}),
  };
}

/** Maps one yt-dlp format dict; `duration` (seconds) turns a bitrate into a size estimate. */
export function mapQuality(f: Dict, duration?: number): GrabQuality {
  const vcodec = _codec(f.vcodec);
  const acodec = _codec(f.acodec);
  const height = _num(f.height);
  // yt-dlp leaves acodec unset (not "none") for muxed HLS variants it cannot tell apart
  const audioOnly = f.vcodec === "none" ||
    (vcodec === undefined && height === undefined && acodec !== undefined);
  const videoOnly = !audioOnly && f.acodec === "none";
  const exact = _num(f.filesize);
  const approx = _num(f.filesize_approx);
  const tbr = _num(f.tbr);
  const estimate = approx ?? (tbr && duration ? Math.round((tbr * 1000 / 8) * duration) : undefined);
  return {
    format_id: String(f.format_id),
    ext: _str(f.ext),
    width: _num(f.width),
    height,
    fps: _num(f.fps),
    vcodec,
    acodec,
    audio_only: audioOnly,
    video_only: videoOnly,
    size: exact ?? estimate,
    ...(exact === undefined && estimate !== undefined ? { size_estimated: true } : {}),
    tbr,
    protocol: _str(f.protocol),
    note: _str(f.format_note),
  };
}

/** The distinct heights on offer, highest first: the `<height>p` values `--quality` takes. */
export function heightsOf(info: GrabInfo): number[] {
  const hs = new Set(info.qualities.map((q) => q.height).filter((h): h is number => h !== undefined));
  return [...hs].sort((a, b) => b - a);
}

function _isStoryboard(f: Dict): boolean {
  return f.protocol === "mhtml" || (typeof f.format_note === "string" && f.format_note === "storyboard");
}

function _codec(v: unknown): string | undefined {
  return typeof v === "string" && v !== "none" && v !== "" ? v : undefined;
}

function _lastThumb(v: unknown): string | undefined {
  if (!Array.isArray(v)) return undefined;
  const last = v.filter(_isDict).at(-1);
  return last ? _str(last.url) : undefined;
}

function _str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;
}

function _num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined;
}

function _isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
