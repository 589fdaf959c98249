/**
 * A downloadable file of a message as plain, structured-clonable data: what the download engine,
 * the fetch workers and the CLI need, with no GramJS type in it.
 */
import type { MediaKind } from "../core/message.ts";

/** Where Telegram keeps a file: enough to build an input file location in any thread. */
export interface FileLocationRef {
  kind: "document" | "photo";
  id: string;
  accessHash: string;
  /** The file reference as hex; it expires and is refreshed by refetching the message. */
  fileReference: string;
  dcId: number;
  /** Photo size type ("y", "w", ...); empty for documents. */
  thumbSize: string;
}

/** One file of one message. */
export interface RemoteFile {
  /** Stable identity of the file: "document:<id>" or "photo:<id>" (resume and skip-same key). */
  key: string;
  size: number;
  location: FileLocationRef;
  mediaType: MediaKind;
  fileName?: string;
  mimeType?: string;
  chatId: number;
  /** Peer locator of the chat (peer_ref.ts), to refetch the message. */
  chatPeer: string;
  chatTitle: string;
  chatUsername?: string;
  messageId: number;
  /** Unix seconds. */
  date: number;
  topicId?: number;
  caption: string;
  /** A document's largest thumbnail (its photo size type and bytes), when it has one. */
  thumb?: { thumbSize: string; size: number };
}
