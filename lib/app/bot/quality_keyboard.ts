/**
 * The choice a person makes after sending a link: one button per video height (its best format,
 * with the size when known), "best" when the site names no heights, and "audio only". A press
 * comes back as callback data that names the choice only (`q:720p`, `q:best`, `a:mp3`); the link
 * it belongs to is found from the message the keyboard is on, so the data stays far below
 * Telegram's 64-byte limit however long the link is.
 */
import type { BotButton } from "../../core/bot_types.ts";
import { formatBytes } from "../../core/format.ts";
import { AUDIO_FORMATS, type AudioFormat } from "../../core/grab_names.ts";
import type { GrabInfo, GrabQuality } from "../../grab/grab_info.ts";

/** A choice from the keyboard: a grab selection. */
export type QualityChoice = { quality: string; audio?: undefined } | {
  audio: AudioFormat;
  quality?: undefined;
};

/** Options of {@link qualityKeyboard}. */
export interface KeyboardOptions {
  /** Heights above this size are left out (the file could not be sent). */
  maxBytes?: number;
  /** The audio format of the "audio only" button. Default mp3. */
  audio?: AudioFormat;
  /** At most this many height buttons (the highest ones). Default 6. */
  maxHeights?: number;
}

/** The keyboard for `info`: rows of two buttons, audio last; empty when nothing fits `maxBytes`. */
export function qualityKeyboard(info: GrabInfo, opts: KeyboardOptions = {}): BotButton[][] {
  const byHeight = new Map<number, GrabQuality>();
  for (const q of info.qualities) {
    if (q.audio_only || q.height === undefined) continue;
    const had = byHeight.get(q.height);
    if (!had || (q.tbr ?? 0) >= (had.tbr ?? 0)) byHeight.set(q.height, q);
  }
  const heights = [...byHeight.keys()].sort((a, b) => b - a).slice(0, opts.maxHeights ?? 6);
  const video: BotButton[] = [];
  for (const h of heights) {
    const size = _withAudio(byHeight.get(h)!, info.qualities);
    if (size !== undefined && opts.maxBytes !== undefined && size > opts.maxBytes) continue;
    video.push({ text: size === undefined ? `${h}p` : `${h}p · ${formatBytes(size)}`, data: `q:${h}p` });
  }
  if (heights.length === 0 && info.qualities.some((q) => !q.audio_only)) {
    video.push({ text: "Best quality", data: "q:best" });
  }
  const rows: BotButton[][] = [];
  for (let i = 0; i < video.length; i += 2) rows.push(video.slice(i, i + 2));
  const audio = opts.audio ?? "mp3";
  const sound = _bestAudio(info.qualities);
  if (sound === undefined || opts.maxBytes === undefined || sound <= opts.maxBytes) {
    rows.push([{ text: `Audio only (${audio})`, data: `a:${audio}` }]);
  }
  return rows;
}

/**
 * Reads callback data made by {@link qualityKeyboard}.
 *
 * @throws {RangeError} for data the keyboard never makes (an old or forged button)
 */
export function parseQualityChoice(data: string): QualityChoice {
  const m = /^([qa]):(.{1,40})$/.exec(data);
  if (m && m[1] === "q" && /^(?:best|worst|\d{2,5}p)$/.test(m[2])) return { quality: m[2] };
  if (m && m[1] === "a" && (AUDIO_FORMATS as readonly string[]).includes(m[2])) {
    return { audio: m[2] as AudioFormat };
  }
  throw new RangeError(`Unknown button data: ${data.slice(0, 64)}`);
}

/** A video-only format's size plus the best audio's, as yt-dlp will merge them. */
function _withAudio(q: GrabQuality, all: readonly GrabQuality[]): number | undefined {
  if (q.size === undefined) return undefined;
  if (!q.video_only) return q.size;
  const a = _bestAudio(all);
  return a === undefined ? q.size : q.size + a;
}

function _bestAudio(all: readonly GrabQuality[]): number | undefined {
  let best: GrabQuality | undefined;
  for (const q of all) if (q.audio_only && (!best || (q.tbr ?? 0) >= (best.tbr ?? 0))) best = q;
  return best?.size;
}
