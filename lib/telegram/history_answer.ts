/**
 * Where a history page's answer is read: GramJS hands an RPC result's bytes to the request's
 * own readResult (MTProtoSender._handleRPCResult), so a page request gets a readResult of its
 * own that decodes the bytes with fast_history.ts and falls back to GramJS's reader for anything
 * the fast decoder leaves to it. Both paths end in the same PageItem list.
 */
import type { Buffer } from "node:buffer";
import { Api } from "telegram";
import { decodeHistoryPage, type PageItem } from "./fast_history.ts";
import { mapMessage, peerNames } from "./map_message.ts";
import { type ChatRef, mapMessageFile } from "./media_messages.ts";

/** A page the fast decoder read: what client.call resolves with instead of GramJS's object. */
export class FastPageAnswer {
  constructor(readonly items: PageItem[]) {}
}

interface _Reader {
  stream: Buffer;
  offset: number;
}

const _stats = { fast: 0, gramjs: 0 };

/** Pages read by the fast decoder and by GramJS in this thread so far. */
export function historyDecodeStats(): { fast: number; gramjs: number } {
  return { ..._stats };
}

/**
 * Makes `request` (an Api request, possibly wrapped in invokeWithTakeout) read its answer with
 * the fast decoder; the call then resolves with a {@link FastPageAnswer}, or with GramJS's
 * object when the decoder left the page to GramJS.
 */
export function readPageFast<T extends object>(request: T, chat: ChatRef): T {
  const req = request as unknown as { readResult(reader: _Reader): unknown };
  const gramRead = req.readResult;
  req.readResult = function (this: unknown, reader: _Reader) {
    const start = reader.offset;
    try {
      const items = decodeHistoryPage(reader.stream, start, chat);
      _stats.fast++;
      return new FastPageAnswer(items);
    } catch {
      // TlUnsupported (a constructor GramJS's schema lacks, truncated bytes, an id beyond 2^53) or
      // anything unexpected: GramJS reads the same bytes from the start, and fails as it would have
      // if they are bad
      reader.offset = start;
      _stats.gramjs++;
      return gramRead.call(this, reader);
    }
  };
  return request;
}

/** A page answer as GramJS objects -> PageItems (the slow path, and the reference in tests). */
export function gramPageItems(res: Api.messages.TypeMessages, chat: ChatRef): PageItem[] {
  if (!("messages" in res)) return [];
  const names = peerNames(res.users, res.chats);
  return res.messages.map((m) => {
    const message = mapMessage(m, names);
    if (!message) return { id: m.id };
    const file = m instanceof Api.Message || m instanceof Api.MessageService
      ? mapMessageFile(m, chat)
      : undefined;
    return file ? { id: m.id, message, file } : { id: m.id, message };
  });
}

/** The items of either kind of answer. */
export function pageItems(res: Api.messages.TypeMessages | FastPageAnswer, chat: ChatRef): PageItem[] {
  return res instanceof FastPageAnswer ? res.items : gramPageItems(res, chat);
}
