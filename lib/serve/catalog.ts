/**
 * What `tgpipe serve` serves, as lib/serve sees it: files by chat and message, each with its
 * validators and a way to stream a byte range. lib/app implements it over the account pool.
 */
import type { ByteRange } from "./range.ts";

/** One servable file (a document, photo or thumbnail). */
export interface ServedFile {
  size: number;
  /** MIME type. */
  type: string;
  /** File name for Content-Disposition. */
  name: string;
  /** Strong entity tag, quoted. */
  etag: string;
  /** ms since the epoch (the message's date). */
  lastModified: number;
  /** Streams bytes [start, end] (inclusive); cancelling the stream stops its transfers. */
  open(range: ByteRange, signal: AbortSignal): ReadableStream<Uint8Array>;
}

/** One media message of a chat, for the index page and the playlist. */
export interface CatalogEntry {
  message: number;
  name: string;
  type: string;
  size: number;
  /** "video", "audio", "voice", "photo", "document", ... */
  kind: string;
  hasThumb: boolean;
}

/** The files of the chats a server may serve. Each lookup returns undefined when there is none. */
export interface Catalog {
  file(chat: string, message: number, signal: AbortSignal): Promise<ServedFile | undefined>;
  thumbnail(chat: string, message: number, signal: AbortSignal): Promise<ServedFile | undefined>;
  /** JSON-able metadata of a message's file (no file reference, no access hash). */
  metadata(chat: string, message: number, signal: AbortSignal): Promise<Record<string, unknown> | undefined>;
  /** The newest media messages of a chat (--index). */
  list(chat: string, signal: AbortSignal): Promise<CatalogEntry[] | undefined>;
}
