/**
 * File-reference refreshes in batches: files whose references expire together (they were fetched
 * with the same page) are refetched with one messages lookup per chat instead of one per file.
 * Telegram takes up to 100 ids per channels.getMessages; one request instead of many draws one
 * fault instead of many on the main connection, and none of them waits behind the others.
 */
import type { FileLocationRef, RemoteFile } from "./remote_file.ts";
import { chatOfFile, type ChatRef, freshLocation, type MessageFileResult } from "./media_messages.ts";

/** Looks messages of one chat up by id (fetchMessageFiles bound to a client). */
export type LookupMessages = (chat: ChatRef, ids: number[]) => Promise<MessageFileResult[]>;

interface Waiter {
  file: RemoteFile;
  resolve: (l: FileLocationRef) => void;
  reject: (e: unknown) => void;
}

/** Options of {@link batchRefresh}. */
export interface BatchRefreshOptions {
  /**
   * How long the first refresh of a chat waits for others to join its lookup, ms. Default 30:
   * about one round trip, while expired references of one page come back within a few.
   */
  windowMs?: number;
}

/**
 * Returns `refresh(file)`, the file's fresh location, from lookups that gather every refresh of
 * the same chat asked within the window (each id once). A failed lookup fails each of its files;
 * a file whose message is gone fails alone (MESSAGE_FILE_GONE).
 */
export function batchRefresh(
  lookup: LookupMessages,
  opts: BatchRefreshOptions = {},
): (file: RemoteFile) => Promise<FileLocationRef> {
  const windowMs = opts.windowMs ?? 30;
  const pending = new Map<string, Waiter[]>();
  const flush = async (peer: string) => {
    const waiters = pending.get(peer) ?? [];
    pending.delete(peer);
    const ids = [...new Set(waiters.map((w) => w.file.messageId))];
    let results: MessageFileResult[];
    try {
      results = await lookup(chatOfFile(waiters[0].file), ids);
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const w of waiters) {
      try {
        w.resolve(freshLocation(w.file, byId.get(w.file.messageId)));
      } catch (err) {
        w.reject(err);
      }
    }
  };
  return (file) =>
    new Promise<FileLocationRef>((resolve, reject) => {
      const waiters = pending.get(file.chatPeer);
      if (waiters) return void waiters.push({ file, resolve, reject });
      pending.set(file.chatPeer, [{ file, resolve, reject }]);
      setTimeout(() => void flush(file.chatPeer), windowMs);
    });
}
