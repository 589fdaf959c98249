/**
 * `--quality` and `--audio` as yt-dlp options: a format selector (`-f`) and, for audio, the
 * extraction options (`-x --audio-format`), which run ffmpeg.
 */

import { AUDIO_FORMATS, type AudioFormat } from "../core/grab_names.ts";

export { AUDIO_FORMATS, type AudioFormat };

/** What to download from a link. */
export interface Selection {
  /** best (default), worst, `<height>p` (at most that height) or a yt-dlp format id from --info. */
  quality?: string;
  /** Only the sound, converted to this format. */
  audio?: AudioFormat;
}

// format ids as yt-dlp makes them (18, hls-720, dash-audio_eng=128000); "+" joins two of them
const FORMAT_ID = /^[\w.=-]+(?:\+[\w.=-]+)?$/;

/**
 * Checks a `--quality` value.
 *
 * @throws {RangeError} for anything but best, worst, `<height>p` or a format id
 */
export function checkQuality(quality: string): void {
  if (quality === "best" || quality === "worst" || /^\d+p$/.test(quality)) return;
  if (!FORMAT_ID.test(quality)) {
    throw new RangeError(
      `--quality must be best, worst, a height like 720p or a format id from --info, got ${quality}`,
    );
  }
}

/**
 * The yt-dlp arguments for a selection.
 *
 * @example
 * ```ts
 * selectionArgs({ quality: "720p" });
 * // ["-f", "bv*[height<=?720]+ba/b[height<=?720]"]
 * selectionArgs({ audio: "mp3" });
 * // ["-f", "ba/b", "-x", "--audio-format", "mp3", "--audio-quality", "0"]
 * ```
 */
export function selectionArgs(sel: Selection): string[] {
  const q = sel.quality ?? "best";
  checkQuality(q);
  if (sel.audio) {
    const f = q === "worst" ? "wa/w" : q === "best" || /^\d+p$/.test(q) ? "ba/b" : q;
    // --audio-quality 0: the best VBR of the encoder (mp3 V0); a copy when the codec already fits
    return ["-f", f, "-x", "--audio-format", sel.audio, "--audio-quality", "0"];
  }
  if (q === "best") return ["-f", "bv*+ba/b"];
  if (q === "worst") return ["-f", "wv*+wa/w"];
  const h = /^(\d+)p$/.exec(q);
  // "<=?": a format whose height nobody knows (a direct file) still counts
  if (h) return ["-f", `bv*[height<=?${h[1]}]+ba/b[height<=?${h[1]}]`];
  // a video-only id gets the best sound merged in; an id with sound (or audio only) is taken as is
  return ["-f", q.includes("+") ? q : `${q}+ba/${q}`];
}
