import type { TranscriptSegment } from "./subtitles.ts";

/**
 * Parses whisper-cli's `-oj` output into segments shifted by `offsetMs` (the chunk's start) and
 * clipped to `[offsetMs, offsetMs + chunkMs]`: whisper pads the last window to 30 s, so a segment
 * may claim to end after the audio does. Empty segments are dropped.
 * Throws SyntaxError when the JSON is not whisper's.
 */
export function parseWhisperJson(
  json: string,
  opts: { offsetMs: number; chunkMs?: number },
): { language: string | undefined; segments: TranscriptSegment[] } {
  const doc = JSON.parse(json) as {
    result?: { language?: string };
    transcription?: Array<{ offsets?: { from?: number; to?: number }; text?: string }>;
  };
  if (!Array.isArray(doc.transcription)) throw new SyntaxError("whisper JSON has no transcription array");
  const end = opts.chunkMs === undefined ? Infinity : opts.offsetMs + opts.chunkMs;
  const segments: TranscriptSegment[] = [];
  for (const seg of doc.transcription) {
    const text = (seg.text ?? "").trim();
    if (text.length === 0) continue;
    const from = Number(seg.offsets?.from ?? 0), to = Number(seg.offsets?.to ?? from);
    const start_ms = Math.min(opts.offsetMs + from, end);
    segments.push({ start_ms, end_ms: Math.max(start_ms, Math.min(opts.offsetMs + to, end)), text });
  }
  return { language: doc.result?.language, segments };
}
