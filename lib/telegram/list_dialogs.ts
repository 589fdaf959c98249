/** The account's chat list (`tgpipe chats`), newest first, with message counts. */
import bigInt from "big-integer";
import { Api } from "telegram";
import type { ChatSummary } from "../core/account.ts";
import type { TgClient } from "./client.ts";
import { type GramEntity, mapEntity } from "./map_peer.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";

/** Options of listDialogs. */
export interface ListDialogsOptions {
  /** At most this many chats. Default: all. */
  limit?: number;
  /** Ask each chat for its exact message count (one extra call per chat). Default true. */
  counts?: boolean;
  /** Only chats this accepts (applied before the limit and before counting). */
  filter?: (chat: ChatSummary) => boolean;
  signal?: AbortSignal;
}

const PAGE = 100;

/** Lists dialogs page by page (messages.getDialogs) and maps them to ChatSummary. */
export async function listDialogs(client: TgClient, opts: ListDialogsOptions = {}): Promise<ChatSummary[]> {
  const limit = opts.limit ?? Infinity;
  if (!(limit > 0)) throw new RangeError("limit must be a positive number");
  const out: ChatSummary[] = [];
  const seen = new Set<string>();
  let offsetDate = 0;
  let offsetId = 0;
  let offsetPeer: Api.TypeInputPeer = new Api.InputPeerEmpty();
  while (out.length < limit) {
    opts.signal?.throwIfAborted();
    const res = await client.call<Api.messages.TypeDialogs>(
      new Api.messages.GetDialogs({
        offsetDate,
        offsetId,
        offsetPeer,
        // a filter may drop most of a page: ask for whole pages
        limit: opts.filter ? PAGE : Math.min(PAGE, limit - out.length),
        hash: bigInt(0),
      }),
    );
    if (res instanceof Api.messages.DialogsNotModified) break;
    const entities = new Map<string, GramEntity>();
    for (const u of res.users) entities.set(`user:${u.id}`, u);
    for (const c of res.chats) entities.set(`${c instanceof Api.Channel ? "channel" : "chat"}:${c.id}`, c);
    const tops = new Map<string, Api.TypeMessage>();
    for (const m of res.messages) {
      if (!(m instanceof Api.MessageEmpty) && m.peerId) tops.set(`${_key(m.peerId)}#${m.id}`, m);
    }
    let added = 0;
    for (const d of res.dialogs) {
      if (!(d instanceof Api.Dialog)) continue;
      const key = _key(d.peer);
      const e = entities.get(key);
      if (!e || seen.has(key)) continue;
      seen.add(key);
      added++;
      const summary: ChatSummary = {
        ...mapEntity(e),
        message_count: d.topMessage,
        unread_count: d.unreadCount,
      };
      if (opts.filter && !opts.filter(summary)) continue;
      out.push(summary);
      if (out.length >= limit) break;
    }
    const last = res.dialogs.at(-1);
    const isSlice = res instanceof Api.messages.DialogsSlice;
    if (!last || added === 0 || !isSlice || res.dialogs.length < PAGE) break;
    const top = tops.get(`${_key(last.peer)}#${last.topMessage}`) as Api.Message | undefined;
    offsetDate = top?.date ?? 0;
    offsetId = last.topMessage;
    const lastChat = entities.get(_key(last.peer));
    offsetPeer = lastChat ? inputPeerOf(decodePeer(mapEntity(lastChat).peer)) : new Api.InputPeerEmpty();
  }
  if (opts.counts ?? true) {
    for (const chat of out) {
      opts.signal?.throwIfAborted();
      chat.message_count = await _count(client, chat.peer);
    }
  }
  return out;
}

async function _count(client: TgClient, peer: string): Promise<number> {
  const res = await client.call<Api.messages.TypeMessages>(
    new Api.messages.GetHistory({
      peer: inputPeerOf(decodePeer(peer)),
      offsetId: 0,
      offsetDate: 0,
      addOffset: 0,
      limit: 1,
      maxId: 0,
      minId: 0,
      hash: bigInt(0),
    }),
  );
  if (res instanceof Api.messages.MessagesNotModified) return res.count;
  return "count" in res ? res.count : res.messages.length;
}

function _key(p: Api.TypePeer): string {
  if (p instanceof Api.PeerUser) return `user:${p.userId}`;
  if (p instanceof Api.PeerChat) return `chat:${p.chatId}`;
  return `channel:${(p as Api.PeerChannel).channelId}`;
}
