/** One page of a chat's history (messages.getHistory), mapped into tgpipe messages. */
import bigInt from "big-integer";
import { Api } from "telegram";
import type { Message } from "../core/message.ts";
import type { TgClient } from "./client.ts";
import { mapMessage, peerNames } from "./map_message.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";

/** Paging of getHistoryPage (Telegram's own semantics; 0 = unset). */
export interface HistoryPageOptions {
  /** Messages older than this id (exclusive). */
  offsetId?: number;
  /** Only ids greater than this. */
  minId?: number;
  /** Only ids smaller than this. */
  maxId?: number;
  /** 1..100 (Telegram's limit). Default 100. */
  limit?: number;
  addOffset?: number;
}

/** A page: messages newest first, plus Telegram's total count for the chat when it gives one. */
export interface HistoryPage {
  messages: Message[];
  count: number;
}

/** Fetches one history page of `chat` (a peer locator from resolveChat or listDialogs). */
export async function getHistoryPage(
  client: TgClient,
  chat: string,
  opts: HistoryPageOptions = {},
): Promise<HistoryPage> {
  const limit = opts.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError("limit must be 1..100");
  const res = await client.call<Api.messages.TypeMessages>(
    new Api.messages.GetHistory({
      peer: inputPeerOf(decodePeer(chat)),
      offsetId: opts.offsetId ?? 0,
      offsetDate: 0,
      addOffset: opts.addOffset ?? 0,
      limit,
      maxId: opts.maxId ?? 0,
      minId: opts.minId ?? 0,
      hash: bigInt(0),
    }),
  );
  if (res instanceof Api.messages.MessagesNotModified) return { messages: [], count: res.count };
  const names = peerNames(res.users, res.chats);
  const messages = res.messages.flatMap((m) => mapMessage(m, names) ?? []);
  return { messages, count: "count" in res ? res.count : res.messages.length };
}
