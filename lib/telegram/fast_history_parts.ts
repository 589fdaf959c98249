/**
 * The smaller parts of a message for fast_history.ts: peers, reply and forward headers, comment
 * counts, reactions, and the names of the page's users and chats, read as map_message.ts reads
 * GramJS's objects (GramJS reads an absent field as null; the comments say where that shows).
 */
import { Api } from "telegram";
import type { Message, PeerKind, PeerRef, Reaction } from "../core/message.ts";
import { expectCtor, type TlCursor, TlFields, TlUnsupported } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

/** A peer as a PeerRef ({id, kind}) and its key in the page's names ("user:1", "channel:2"). */
export interface KeyedPeer {
  ref: PeerRef;
  key: string;
}

/** A user's or chat's display name and username, as map_message.ts's _peer takes them. */
export interface PeerName {
  name?: string;
  username?: string;
}

/** What map_message.ts's _reply reads of a MessageReplyHeader (absent numbers are null). */
export interface ReplyHeader {
  forumTopic: boolean;
  msgId: number | null;
  topId: number | null;
  peerId: number | undefined;
  quote: string | null;
  /** forumTopic ? (topId ?? msgId) : undefined (null in a forum header without either) */
  topic: number | null | undefined;
}

/** What map_message.ts's _forward reads of a MessageFwdHeader. */
export interface ForwardHeader {
  date: number;
  from: KeyedPeer | undefined;
  fromName: string | null;
  channelPost: number | null;
  postAuthor: string | null;
}

interface _Plans {
  peers: Map<number, PeerKind>;
  reply: TlPlan;
  forward: TlPlan;
  replies: TlPlan;
  reactions: TlPlan;
  count: TlPlan;
  emoji: number;
  custom: number;
  paid: number;
  users: Map<number, TlPlan>;
  chats: Map<number, TlPlan & { kind: "chat" | "channel" }>;
}

let _plans: _Plans | undefined;

/** The plans of this module; throws when GramJS's schema moved. */
export function partPlans(): _Plans {
  if (_plans) return _plans;
  const id = (cls: { CONSTRUCTOR_ID: number }) => cls.CONSTRUCTOR_ID >>> 0;
  const chat = (cls: { CONSTRUCTOR_ID: number }, kind: "chat" | "channel", f: string[]) =>
    [id(cls), { ...needPlan(cls, f), kind }] as const;
  const title = ["id:long", "title:string"];
  return _plans = {
    peers: new Map<number, PeerKind>([
      [id(Api.PeerUser), needPlan(Api.PeerUser, ["userId:long"]) && "user"],
      [id(Api.PeerChat), needPlan(Api.PeerChat, ["chatId:long"]) && "chat"],
      [id(Api.PeerChannel), needPlan(Api.PeerChannel, ["channelId:long"]) && "channel"],
    ]),
    reply: needPlan(Api.MessageReplyHeader, [
      "forumTopic:true",
      "replyToMsgId:int",
      "replyToPeerId:Peer",
      "replyToTopId:int",
      "quoteText:string",
    ]),
    forward: needPlan(Api.MessageFwdHeader, [
      "fromId:Peer",
      "fromName:string",
      "date:int",
      "channelPost:int",
      "postAuthor:string",
    ]),
    replies: needPlan(Api.MessageReplies, ["comments:true", "replies:int", "channelId:long"]),
    reactions: needPlan(Api.MessageReactions, ["results:Vector<ReactionCount>"]),
    count: needPlan(Api.ReactionCount, ["reaction:Reaction", "count:int", "chosenOrder:int"]),
    emoji: id(Api.ReactionEmoji),
    custom: id(Api.ReactionCustomEmoji),
    paid: id(Api.ReactionPaid),
    users: new Map([
      [
        id(Api.User),
        needPlan(Api.User, ["id:long", "firstName:string", "lastName:string", "username:string"]),
      ],
      [id(Api.UserEmpty), needPlan(Api.UserEmpty, ["id:long"])],
    ]),
    chats: new Map([
      chat(Api.Chat, "chat", title),
      chat(Api.ChatForbidden, "chat", title),
      chat(Api.ChatEmpty, "chat", ["id:long"]),
      chat(Api.Channel, "channel", [...title, "username:string"]),
      chat(Api.ChannelForbidden, "channel", title),
    ]),
  };
}

/** Reads a Peer. */
export function readPeer(c: TlCursor): KeyedPeer {
  const id = c.uint();
  const kind = partPlans().peers.get(id);
  if (!kind) throw new TlUnsupported(`peer ${id.toString(16)}`);
  const n = c.longNumber();
  return { ref: { id: n, kind }, key: `${kind}:${n}` };
}

/** Reads a MessageReplyHeader; undefined for a story's reply header (map_message.ts ignores it). */
export function readReply(c: TlCursor): ReplyHeader | undefined {
  const plan = partPlans().reply;
  const id = c.uint();
  if (id !== plan.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return undefined;
  }
  const r: ReplyHeader = {
    forumTopic: false,
    msgId: null,
    topId: null,
    peerId: undefined,
    quote: null,
    topic: undefined,
  };
  const f = new TlFields(c, plan);
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) r.forumTopic = true;
    else if (code === 2) r.msgId = c.int();
    else if (code === 3) r.peerId = readPeer(c).ref.id;
    else if (code === 4) r.topId = c.int();
    else r.quote = c.string();
  }
  r.topic = r.forumTopic ? (r.topId ?? r.msgId) : undefined;
  return r;
}

/** map_message.ts's _reply, on the model. */
export function applyReply(out: Message, r: ReplyHeader): void {
  if (r.topic != null) out.topic_id = r.topic;
  const isTopicOnly = r.forumTopic && (r.topId == null || r.msgId === r.topId);
  // a header without reply_to_msg_id (a quote-only one) is no reply
  if (r.msgId === null || isTopicOnly) return;
  out.reply_to = { message_id: r.msgId };
  if (r.topic != null) out.reply_to.topic_id = r.topic;
  if (r.peerId !== undefined) out.reply_to.chat_id = r.peerId;
  if (r.quote) out.reply_to.quote_text = r.quote;
}

/** Reads a MessageFwdHeader. */
export function readForward(c: TlCursor): ForwardHeader {
  const f = expectCtor(c, partPlans().forward);
  const h: ForwardHeader = { date: 0, from: undefined, fromName: null, channelPost: null, postAuthor: null };
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) h.from = readPeer(c);
    else if (code === 2) h.fromName = c.string();
    else if (code === 3) h.date = c.int();
    else if (code === 4) h.channelPost = c.int();
    else h.postAuthor = c.string();
  }
  return h;
}

/** map_message.ts's _forward, once the page's names are known. */
export function forwardOrigin(
  h: ForwardHeader,
  names: Map<string, PeerName>,
): NonNullable<Message["forward"]> {
  const out: NonNullable<Message["forward"]> = { date: h.date };
  if (h.from) {
    const from = nameRef(h.from.ref, names.get(h.from.key));
    out.from_id = from.id;
    out.from_kind = from.kind;
    if (from.name) out.from_name = from.name;
  }
  if (h.fromName) out.from_name = h.fromName;
  if (h.channelPost) out.channel_post = h.channelPost;
  if (h.postAuthor) out.signature = h.postAuthor;
  return out;
}

/** Adds a name and username to a PeerRef, as map_message.ts's _peer does. */
export function nameRef(ref: PeerRef, n: PeerName | undefined): PeerRef {
  if (n?.name) ref.name = n.name;
  if (n?.username) ref.username = n.username;
  return ref;
}

/** Reads MessageReplies: the comment count of a channel post, undefined for other replies. */
export function readComments(c: TlCursor): Message["comments"] {
  const f = expectCtor(c, partPlans().replies);
  let isComments = false, count = 0, channel: number | undefined;
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) isComments = true;
    else if (code === 2) count = c.int();
    else channel = c.longNumber();
  }
  if (!isComments) return undefined;
  const out: NonNullable<Message["comments"]> = { count };
  // GramJS's big-integer is truthy even for 0: any channel id present is kept
  if (channel !== undefined) out.chat_id = channel;
  return out;
}

/** Reads MessageReactions into the model's reactions. */
export function readReactions(c: TlCursor): Reaction[] {
  const plans = partPlans();
  const out: Reaction[] = [];
  const f = expectCtor(c, plans.reactions);
  for (let code = f.next(); code !== 0; code = f.next()) {
    for (let n = c.vector(); n > 0; n--) {
      const r = expectCtor(c, plans.count);
      let count = 0, kind = 0, value = "", chosen = false;
      for (let k = r.next(); k !== 0; k = r.next()) {
        if (k === 2) count = c.int();
        else if (k === 3) {
          c.int();
          chosen = true;
        } else {
          kind = c.uint();
          if (kind === plans.emoji) value = c.string();
          else if (kind === plans.custom) value = c.longString();
          else c.skipFields(c.ctor(kind), 0, 0, 0);
        }
      }
      const x: Reaction = { count };
      if (kind === plans.emoji) x.emoji = value;
      else if (kind === plans.custom) x.custom_emoji_id = value;
      else if (kind === plans.paid) x.paid = true;
      // chosen_order is there only on the reactions the account chose
      if (chosen) x.chosen = true;
      out.push(x);
    }
  }
  return out;
}

/** Reads a User into the page's names. */
export function readUser(c: TlCursor, names: Map<string, PeerName>): void {
  const id = c.uint();
  const plan = partPlans().users.get(id);
  if (!plan) throw new TlUnsupported(`user ${id.toString(16)}`);
  const f = new TlFields(c, plan);
  let uid = "", first: string | null = null, last: string | null = null, username: string | null = null;
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) uid = c.longString();
    else if (code === 2) first = c.string();
    else if (code === 3) last = c.string();
    else username = c.string();
  }
  const n: PeerName = {};
  const name = [first, last].filter(Boolean).join(" ");
  if (name) n.name = name;
  if (username) n.username = username;
  names.set(`user:${uid}`, n);
}

/** Reads a Chat into the page's names (a channel's username only with its title, as _peer). */
export function readChat(c: TlCursor, names: Map<string, PeerName>): void {
  const id = c.uint();
  const plan = partPlans().chats.get(id);
  if (!plan) throw new TlUnsupported(`chat ${id.toString(16)}`);
  const f = new TlFields(c, plan);
  let cid = "", title: string | null = null, username: string | null = null;
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) cid = c.longString();
    else if (code === 2) title = c.string();
    else username = c.string();
  }
  const n: PeerName = {};
  if (title) {
    n.name = title;
    if (username) n.username = username;
  }
  names.set(`${plan.kind}:${cid}`, n);
}
