/**
 * The extension of a media file that has no name of its own, shared by export (`5-photo.jpg`) and
 * download (`{filename}` = `photo.jpg`), so one photo gets one name everywhere.
 */
import type { MediaKind } from "./message.ts";

const EXT_BY_KIND: Record<MediaKind, string> = {
  photo: "jpg",
  video: "mp4",
  voice: "ogg",
  audio: "mp3",
  round: "mp4",
  document: "bin",
  sticker: "webp",
  animation: "mp4",
};
// export's table as it always was: a rerun must give a file the name it had (vault links point at it)
const EXT_BY_MIME: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "application/x-tgsticker": "tgs",
  "application/pdf": "pdf",
};

/** The extension (no dot) a MIME type gives, else the media kind's, else "bin". */
export function mediaExt(kind: string | undefined, mimeType: string | undefined): string {
  return (mimeType && EXT_BY_MIME[mimeType]) ?? EXT_BY_KIND[kind as MediaKind] ?? "bin";
}
