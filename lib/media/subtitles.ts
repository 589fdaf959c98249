/** One timed piece of a transcript, in milliseconds from the start of the media. */
export interface TranscriptSegment {
  start_ms: number;
  end_ms: number;
  text: string;
}

/** A whole transcript as tgpipe stores it (cache, JSON lines, notes). */
export interface Transcript {
  language: string;
  duration_s?: number;
  text: string;
  segments: TranscriptSegment[];
}

/** Subtitle and text formats tgpipe writes beside the media. */
export type TranscriptFormat = "srt" | "vtt" | "json" | "txt";

/**
 * Renders a transcript as SubRip (srt), WebVTT (vtt), pretty JSON or plain text.
 *
 * @example
 * ```ts
 * formatTranscript({ language: "en", text: "hi", segments: [{ start_ms: 0, end_ms: 1500, text: "hi" }] }, "srt");
 * // "1\n00:00:00,000 --> 00:00:01,500\nhi\n"
 * ```
 */
export function formatTranscript(t: Transcript, format: TranscriptFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(t, null, 2) + "\n";
    case "txt":
      return t.text.length > 0 ? t.text + "\n" : "";
    case "srt":
      return t.segments.map((s, i) =>
        `${i + 1}\n${_stamp(s.start_ms, ",")} --> ${_stamp(s.end_ms, ",")}\n${s.text}\n`
      )
        .join("\n");
    case "vtt":
      return "WEBVTT\n\n" +
        t.segments.map((s) => `${_stamp(s.start_ms, ".")} --> ${_stamp(s.end_ms, ".")}\n${s.text}\n`).join(
          "\n",
        );
    default:
      throw new RangeError(`Unknown transcript format: ${format satisfies never}`);
  }
}

function _stamp(ms: number, sep: string): string {
  const v = Math.max(0, Math.round(ms));
  const h = Math.floor(v / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const s = Math.floor((v % 60_000) / 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(h)}:${p(m)}:${p(s)}${sep}${p(v % 1000, 3)}`;
}
