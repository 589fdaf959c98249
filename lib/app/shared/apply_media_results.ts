/** Writes what a media task measured and made back into the message's media. */
import { relative } from "node:path";
import type { DerivedMedia, Media, MediaProbe } from "../../core/message.ts";
import type { MediaTaskResult } from "../../media/media_task.ts";
import type { Transcript } from "../../media/subtitles.ts";
import type { Emit } from "../../progress/events.ts";

/** What {@link applyMediaResults} found worth counting. */
export interface AppliedMedia {
  /** A transcript was set. */
  transcribed: boolean;
  /** ... and it came from the transcript cache, not a whisper-cli run. */
  cached: boolean;
}

/**
 * Sets `media`'s probe fields, transcript and derived files (paths relative to `out`) from the
 * successful processors of `res`; failed ones leave their part as it was.
 */
export function applyMediaResults(
  media: Media,
  res: MediaTaskResult,
  o: { out: string; item: string; emit: Emit },
): AppliedMedia {
  const applied: AppliedMedia = { transcribed: false, cached: false };
  const derived: DerivedMedia[] = [];
  for (const r of res.results) {
    if (r.status !== "ok") continue;
    for (const f of r.files) derived.push({ role: f.role, file: relative(o.out, f.path) });
    if (r.processor === "probe") media.probe = _probe(r.metadata, media.kind === "photo");
    if (r.processor === "transcribe") {
      const t = r.metadata.transcript as Transcript;
      media.transcript = t.text;
      media.transcript_segments = t.segments;
      media.transcript_language = t.language;
      applied.transcribed = true;
      applied.cached = r.metadata.cached === true;
      o.emit({
        type: "log",
        level: "debug",
        message: `transcribe ${o.item}: ${r.metadata.cached === true ? "from cache" : "whisper-cli"}`,
      });
    }
  }
  if (derived.length > 0) media.derived = derived;
  return applied;
}

function _probe(m: Record<string, unknown>, still: boolean): MediaProbe {
  // ffprobe reports 0 for unknown sizes and one frame's time as a still image's "duration".
  const num = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined;
  const video = typeof m.video_codec === "string" ? m.video_codec : undefined;
  const audio = typeof m.audio_codec === "string" ? m.audio_codec : undefined;
  return {
    duration: still ? undefined : num(m.duration_s),
    width: num(m.width),
    height: num(m.height),
    codec: video ?? audio,
    audio_codec: video ? audio : undefined,
    bitrate: num(m.bitrate),
  };
}
