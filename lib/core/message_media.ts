/**
 * The media attachment of tgpipe's message model (message.ts, which re-exports it): its kind,
 * where its file is, what a probe measured, transcripts and derived files. Field names are
 * snake_case like the rest of `messages.jsonl`.
 */

/** Media kinds tgpipe knows; everything else is a document. */
export type MediaKind =
  | "photo"
  | "video"
  | "voice"
  | "audio"
  | "round"
  | "document"
  | "sticker"
  | "animation";

/** The media kinds in a stable order (CLI help, --media parsing). */
export const MEDIA_KINDS: readonly MediaKind[] = [
  "photo",
  "video",
  "voice",
  "audio",
  "round",
  "document",
  "sticker",
  "animation",
];

/** Facts a post-processor measured from the file itself (optional: probing is a later stage). */
export interface MediaProbe {
  duration?: number;
  width?: number;
  height?: number;
  codec?: string;
  /** Audio codec when the file also has video (`codec` is then the video codec). */
  audio_codec?: string;
  bitrate?: number;
}

/** A file a post-processor derived from a media file (thumbnail, subtitles, transcoded copy). */
export interface DerivedMedia {
  /** "thumbnail", "preview", "optimized", "transcoded", "srt", "vtt", "json", "txt". */
  role: string;
  /** Path relative to the output root, like the media file itself. */
  file: string;
}

/** One timed piece of a transcript, in milliseconds from the start of the media. */
export interface TranscriptSegment {
  start_ms: number;
  end_ms: number;
  text: string;
}

/** One media attachment. */
export interface Media {
  kind: MediaKind;
  /**
   * Opaque file locator for whoever fetches the file (lib/telegram encodes a document or photo
   * reference; the Telegram Desktop reader stores the path relative to the export). Absent when
   * the file is not available (e.g. "File not included" in a Desktop export).
   */
  ref?: string;
  /** Locator of a thumbnail, same rules as `ref`. */
  thumb_ref?: string;
  file_name?: string;
  mime_type?: string;
  size?: number;
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
  /** Stickers: the emoji the sticker stands for. */
  emoji?: string;
  /** Audio: performer and title. */
  performer?: string;
  title?: string;
  /** The media is hidden behind a spoiler. */
  spoiler?: boolean;
  probe?: MediaProbe;
  /** Speech-to-text of voice/video, when transcribed. */
  transcript?: string;
  /** The transcript's timed segments and detected language (messages.jsonl only). */
  transcript_segments?: TranscriptSegment[];
  transcript_language?: string;
  /** Files derived from the media (--thumbnails, --transcribe, --transcode, ...). */
  derived?: DerivedMedia[];
  /** Hex sha256 of the file (set by --dedup). */
  sha256?: string;
}
