/**
 * One page of a chat's history in ascending id order: the messages just above a cursor, at most
 * 100 (Telegram's page limit), inside an id range; optionally in a forum topic or a comment thread
 * (messages.getReplies) and wrapped in a takeout session.
 */
import bigInt from "big-integer";
import { Api } from "telegram";
import type { TgClient } from "./client.ts";
import type { Message } from "../core/message.ts";
import type { ChatRef } from "./media_messages.ts";
import { type FastPageAnswer, pageItems, readPageFast } from "./history_answer.ts";
import type { PageItem } from "./fast_history.ts";
import type { RemoteFile } from "./remote_file.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";
import { withTakeout } from "./takeout.ts";

/** A mapped message and, for media messages, its file (with a fresh file reference). */
export interface MappedMessage {
  message: Message;
  file?: RemoteFile;
}

/** Where a page starts and what bounds it. */
export interface HistoryPageOptions {
  /** Exclusive lower bound: the page holds the messages just above it. */
  after: number;
  /** Inclusive upper bound; 0 = none. */
  upTo?: number;
  /** At most 100. Default 100. */
  limit?: number;
  /** Messages of this forum topic or comment thread (messages.getReplies with this msg_id). */
  replyTo?: number;
  /** Takeout session id (decimal string) to wrap the call in. */
  takeoutId?: string;
}

/** A page: mapped messages ascending, and whether the range may hold more above them. */
export interface HistoryPage {
  messages: MappedMessage[];
  /** Highest id seen (the next cursor); `after` when the page is empty. */
  last: number;
  /** True when the page was full, so more messages may follow. */
  more: boolean;
}

/** Fetches one ascending page (see module comment); `call.onTrouble` as in TgClient.call. */
export async function fetchHistoryPage(
  client: TgClient,
  chat: ChatRef,
  opts: HistoryPageOptions,
  call: { onTrouble?: () => void; signal?: AbortSignal } = {},
): Promise<HistoryPage> {
  const req = historyPageRequest(chat, opts);
  // the answer is decoded straight into the model (fast_history.ts), or by GramJS when it must
  const res = await client.call<Api.messages.TypeMessages | FastPageAnswer>(
    readPageFast(withTakeout(req, opts.takeoutId), chat),
    call,
  );
  return historyPageOf(pageItems(res, chat), chat, opts);
}

/** The request for a page (GramJS's reader unless readPageFast is applied to it). */
export function historyPageRequest(chat: ChatRef, opts: HistoryPageOptions): Api.AnyRequest {
  const limit = _limit(opts);
  const page = {
    peer: inputPeerOf(decodePeer(chat.peer)),
    // add_offset = -limit from offset_id = after+1 gives the `limit` messages just above `after`
    offsetId: opts.after + 1,
    offsetDate: 0,
    addOffset: -limit,
    limit,
    maxId: opts.upTo ? opts.upTo + 1 : 0,
    minId: opts.after,
    hash: bigInt(0),
  };
  return opts.replyTo !== undefined
    ? new Api.messages.GetReplies({ ...page, msgId: opts.replyTo })
    : new Api.messages.GetHistory(page);
}

/** A page's answer (as PageItems) -> the ascending page inside the bounds of `opts`. */
export function historyPageOf(items: PageItem[], chat: ChatRef, opts: HistoryPageOptions): HistoryPage {
  const out: MappedMessage[] = [];
  let last = opts.after;
  for (const { id, message, file } of items) {
    if (id <= opts.after || (opts.upTo && id > opts.upTo)) continue;
    last = Math.max(last, id);
    if (!message) continue;
    message.chat_id = chat.id;
    // as in Desktop exports, a service message names its actor in service.actor, not as author
    if (message.service) delete message.author;
    _stableRefs(message);
    out.push(file ? { message, file } : { message });
  }
  out.sort((a, b) => a.message.id - b.message.id);
  return { messages: out, last, more: items.length >= _limit(opts) };
}

function _limit(opts: HistoryPageOptions): number {
  return Math.min(100, Math.max(1, opts.limit ?? 100));
}

/**
 * The newest message id of a chat (or thread) with a date before `beforeUnix` and an id below
 * `belowId` (0 = no bound), after skipping `skip` newer ones; 0 when there is none.
 */
export async function newestIdBefore(
  client: TgClient,
  chat: ChatRef,
  opts: { beforeUnix?: number; belowId?: number; replyTo?: number; skip?: number; takeoutId?: string } = {},
): Promise<number> {
  return (await newestWithCount(client, chat, opts)).id;
}

/**
 * {@link newestIdBefore} plus how many messages the chat (or topic) holds in all, as Telegram
 * counts them (`count` of the page; the page's own length when Telegram sends them all).
 */
export async function newestWithCount(
  client: TgClient,
  chat: ChatRef,
  opts: { beforeUnix?: number; belowId?: number; replyTo?: number; skip?: number; takeoutId?: string } = {},
): Promise<{ id: number; count: number }> {
  const page = {
    peer: inputPeerOf(decodePeer(chat.peer)),
    offsetId: opts.belowId ?? 0,
    offsetDate: opts.beforeUnix ?? 0,
    addOffset: opts.skip ?? 0,
    limit: 1,
    maxId: 0,
    minId: 0,
    hash: bigInt(0),
  };
  const req = opts.replyTo !== undefined
    ? new Api.messages.GetReplies({ ...page, msgId: opts.replyTo })
    : new Api.messages.GetHistory(page);
  const res = await client.call<Api.messages.TypeMessages>(withTakeout(req, opts.takeoutId));
  if (!("messages" in res) || res.messages.length === 0) return { id: 0, count: 0 };
  const count = "count" in res && typeof res.count === "number" ? res.count : res.messages.length;
  return { id: Math.max(...res.messages.map((m) => m.id)), count };
}

/**
 * File references expire and change on every fetch; refs in the export keep everything but them
 * (`tg:...:` with an empty reference), so the same message always exports the same line. The
 * fresh reference travels beside the message in `MappedMessage.file` for the download.
 */
function _stableRefs(m: Message): void {
  if (!m.media) return;
  const strip = (r: string | undefined) => r?.startsWith("tg:") ? r.replace(/:[0-9a-f]*$/i, ":") : r;
  if (m.media.ref !== undefined) m.media.ref = strip(m.media.ref);
  if (m.media.thumb_ref !== undefined) m.media.thumb_ref = strip(m.media.thumb_ref);
}
