/** History RPCs: getHistory, getMessages, channels.getMessages, getReplies, search, getDialogs. */
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WChat, WMessage } from "../world/types.ts";
import { chatPeer, messageToTl, peersFor, peerToTl } from "../world/to_tl.ts";
import type { HandlerEnv } from "./env.ts";
import { searchFilter } from "./search_filter.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** Telegram answers at most 100 messages per page and caps larger limits silently. */
const MAX_LIMIT = 100;

interface Page {
  offsetId?: number;
  offsetDate?: number;
  addOffset?: number;
  limit?: number;
  maxId?: number;
  minId?: number;
}

/** Telegram's paging: newest first, start below offset_id/offset_date, shift by add_offset. */
export function pageMessages(all: WMessage[], q: Page): WMessage[] {
  const maxId = q.maxId ?? 0, minId = q.minId ?? 0;
  const desc = all.filter((m) => (maxId <= 0 || m.id < maxId) && (minId <= 0 || m.id > minId)).reverse();
  let pos = 0;
  if (q.offsetId && q.offsetId > 0) pos = _firstIndex(desc, (m) => m.id < q.offsetId!);
  else if (q.offsetDate && q.offsetDate > 0) pos = _firstIndex(desc, (m) => m.date < q.offsetDate!);
  pos += q.addOffset ?? 0;
  const limit = Math.min(Math.max(q.limit ?? 0, 0), MAX_LIMIT);
  const end = pos + limit;
  return desc.slice(Math.max(0, pos), Math.max(0, end));
}

function _firstIndex(desc: WMessage[], ok: (m: WMessage) => boolean): number {
  const i = desc.findIndex(ok);
  return i < 0 ? desc.length : i;
}

/** Build a messages.Messages / MessagesSlice / ChannelMessages answer. */
export function messagesAnswer(
  env: HandlerEnv,
  ctx: RpcContext,
  chat: WChat,
  msgs: WMessage[],
  count: number,
) {
  const A = ctx.L.Api, t = env.tl(ctx);
  const { users, chats } = peersFor(t, [{ chat, msgs }]);
  const messages = msgs.map((m) => messageToTl(t, chat, m));
  if (chat.kind !== "private" && chat.kind !== "group") {
    return new A.messages.ChannelMessages({
      pts: chat.messages.at(-1)?.id ?? 1,
      count,
      messages,
      chats,
      users,
      topics: [],
    });
  }
  if (count > msgs.length) return new A.messages.MessagesSlice({ count, messages, chats, users });
  return new A.messages.Messages({ messages, chats, users });
}

function _thread(env: HandlerEnv, chat: WChat, msgId: number): { chat: WChat; msgs: WMessage[] } {
  if (chat.kind === "forum" && chat.topics?.some((t) => t.id === msgId)) {
    return { chat, msgs: chat.messages.filter((m) => m.topicId === msgId) };
  }
  let group = chat, top = msgId;
  const post = chat.messages.find((m) => m.id === msgId);
  if (!post) throw new RpcError(400, "MSG_ID_INVALID");
  if (chat.kind === "channel") {
    if (!post.comments) throw new RpcError(400, "MSG_ID_INVALID");
    group = env.world.chats.get(`channel:${post.comments.chatId}`)!;
    top = post.comments.msgId;
  }
  const msgs = group.messages.filter((m) =>
    m.id === top || (m.reply && (m.reply.topId ?? m.reply.msgId) === top)
  );
  return { chat: group, msgs };
}

/** History handlers. */
export function historyHandlers(env: HandlerEnv): HandlerMap {
  return {
    "messages.GetHistory": (q: Req, ctx) => {
      const chat = env.chat(q.peer, env.me(ctx));
      return messagesAnswer(env, ctx, chat, pageMessages(chat.messages, q), chat.messages.length);
    },
    "messages.GetReplies": (q: Req, ctx) => {
      const { chat, msgs } = _thread(env, env.chat(q.peer, env.me(ctx)), q.msgId);
      return messagesAnswer(env, ctx, chat, pageMessages(msgs, q), msgs.length);
    },
    "messages.Search": (q: Req, ctx) => {
      const chat = env.chat(q.peer, env.me(ctx));
      const text = String(q.q ?? "").toLowerCase();
      const keep = searchFilter(q.filter?.className ?? "InputMessagesFilterEmpty");
      const hits = chat.messages.filter((m) =>
        (!text || m.text.toLowerCase().includes(text)) && keep(m) &&
        (!q.topMsgId || m.topicId === q.topMsgId) &&
        (!q.minDate || m.date >= q.minDate) && (!q.maxDate || m.date <= q.maxDate)
      );
      return messagesAnswer(env, ctx, chat, pageMessages(hits, q), hits.length);
    },
    "messages.GetMessages": (q: Req, ctx) => {
      env.me(ctx);
      // Private chats and basic groups share the account's message id sequence.
      const pools = [...env.world.chats.values()].filter((c) => c.kind === "private" || c.kind === "group");
      const A = ctx.L.Api, t = env.tl(ctx);
      const found: { chat: WChat; msgs: WMessage[] }[] = [];
      const out = (q.id ?? []).map((im: Req) => {
        const id = _inputId(im, undefined);
        for (const c of pools) {
          const m = c.messages.find((x) => x.id === id);
          if (m) {
            found.push({ chat: c, msgs: [m] });
            return messageToTl(t, c, m);
          }
        }
        return new A.MessageEmpty({ id });
      });
      const { users, chats } = peersFor(t, found);
      return new A.messages.Messages({ messages: out, chats, users });
    },
    "channels.GetMessages": (q: Req, ctx) => {
      const chat = env.channel(q.channel, env.me(ctx));
      const A = ctx.L.Api, t = env.tl(ctx);
      const msgs: WMessage[] = [];
      const out = (q.id ?? []).map((im: Req) => {
        const id = _inputId(im, chat);
        const m = chat.messages.find((x) => x.id === id);
        if (m) msgs.push(m);
        return m ? messageToTl(t, chat, m) : new A.MessageEmpty({ id });
      });
      const { users, chats } = peersFor(t, [{ chat, msgs }]);
      return new A.messages.ChannelMessages({
        pts: chat.messages.at(-1)?.id ?? 1,
        count: out.length,
        messages: out,
        chats,
        users,
        topics: [],
      });
    },
    "messages.GetDialogs": (q: Req, ctx) => _dialogs(env, ctx, q),
  };
}

function _inputId(im: Req, chat: WChat | undefined): number {
  if (im.className === "InputMessagePinned") return chat?.messages.findLast((m) => m.pinned)?.id ?? 0;
  if (im.className === "InputMessageReplyTo") {
    return chat?.messages.find((m) => m.id === im.id)?.reply?.msgId ?? 0;
  }
  return im.id ?? 0;
}

function _dialogs(env: HandlerEnv, ctx: RpcContext, q: Req) {
  const A = ctx.L.Api, t = env.tl(ctx);
  const me = env.me(ctx);
  const all = [...env.world.chats.values()]
    .filter((c) => c.selfMember && c.messages.length > 0)
    .map((c) => ({ c, top: c.messages.at(-1)! }))
    .sort((a, b) => b.top.date - a.top.date || b.top.id - a.top.id || (a.c.id < b.c.id ? -1 : 1));
  let start = 0;
  const op = q.offsetPeer?.className;
  if (op && op !== "InputPeerEmpty") {
    const key = env.chat(q.offsetPeer, me);
    const i = all.findIndex((d) => d.c === key || (d.c.kind === key.kind && d.c.id === key.id));
    start = i < 0 ? 0 : i + 1;
  } else if (q.offsetDate > 0) {
    start = all.findIndex((d) =>
      d.top.date < q.offsetDate || (d.top.date === q.offsetDate && d.top.id < (q.offsetId || 0))
    );
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + Math.min(Math.max(q.limit ?? 0, 0), MAX_LIMIT));
  const dialogs = page.map(({ c, top }) =>
    new A.Dialog({
      peer: peerToTl(t, chatPeer(c)),
      topMessage: top.id,
      readInboxMaxId: top.id - (c.unread ?? 0),
      readOutboxMaxId: top.id,
      unreadCount: c.unread ?? 0,
      unreadMentionsCount: 0,
      unreadReactionsCount: 0,
      notifySettings: new A.PeerNotifySettings({}),
      pts: c.kind === "private" || c.kind === "group" ? undefined : top.id,
    })
  );
  const items = page.map(({ c, top }) => ({ chat: c, msgs: [top] }));
  const { users, chats } = peersFor(t, items);
  const messages = page.map(({ c, top }) => messageToTl(t, c, top));
  if (all.length > page.length) {
    return new A.messages.DialogsSlice({ count: all.length, dialogs, messages, chats, users });
  }
  return new A.messages.Dialogs({ dialogs, messages, chats, users });
}
