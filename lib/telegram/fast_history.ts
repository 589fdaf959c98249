/**
 * Decodes a history page (messages.Messages / MessagesSlice / ChannelMessages, the answer to
 * messages.getHistory and messages.getReplies) from its TL bytes straight into tgpipe's model,
 * without GramJS's objects: building them (and their big-integer longs) cost about as much CPU
 * as the rest of export's main thread, and they were most of what the young generation promoted
 * (docs/export-performance.md). The result is what map_message.ts and mapMessageFile make of
 * GramJS's objects, key for key and in the same key order (messages.jsonl is the model as
 * JSON); tests/telegram/fast_history_test.ts decodes the same bytes both ways. Anything not read
 * here (service messages, polls, a constructor this version of the decoder does not know)
 * throws TlUnsupported, and the page is read by GramJS instead.
 */
import type { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { Message, PeerKind, PeerRef, Reaction } from "../core/message.ts";
import { type ChatRef, fileOfMedia } from "./media_messages.ts";
import type { RemoteFile } from "./remote_file.ts";
import {
  type DecodedMedia,
  mediaPlansReady,
  present,
  readEntities,
  readMedia,
} from "./fast_history_media.ts";
import { K_FLAGS, TlCursor, type TlPlan, tlPlan, TlUnsupported } from "./tl_cursor.ts";

/** One message of a page as export takes it: its id, its model (none for MessageEmpty), its file. */
export interface PageItem {
  id: number;
  message?: Message;
  file?: RemoteFile;
}

/** A user's or chat's display name and username, as map_message.ts's _peer takes them. */
interface _Name {
  name?: string;
  username?: string;
}

/** A message whose forward header names a peer: built once the page's users and chats are read. */
interface _Forward {
  msg: Message;
  date: number;
  from: { ref: PeerRef; key: string } | undefined;
  fromName: string | null;
  channelPost: number | null;
  postAuthor: string | null;
}

/** What the page's users and chats fill in after its messages are read. */
interface _Pending {
  refs: PeerRef[];
  keys: string[];
  forwards: _Forward[];
  bots: Array<{ via: { id?: number; username?: string }; key: string }>;
}

interface _Plans {
  pages: Map<number, TlPlan>;
  message: TlPlan;
  empty: TlPlan;
  peers: Map<number, PeerKind>;
  reply: TlPlan;
  forward: TlPlan;
  replies: TlPlan;
  reactions: TlPlan;
  reactionCount: TlPlan;
  reactionEmoji: number;
  reactionCustom: number;
  reactionPaid: number;
  users: Map<number, TlPlan>;
  chats: Map<number, TlPlan & { kind: "chat" | "channel" }>;
}

let _plans: _Plans | null | undefined;

function _id(cls: { CONSTRUCTOR_ID: number }): number {
  return cls.CONSTRUCTOR_ID >>> 0;
}

function _need(p: TlPlan | undefined): TlPlan {
  if (!p) throw new Error("fast_history: schema changed");
  return p;
}

function _plan(cls: { CONSTRUCTOR_ID: number }, fields: string[]): TlPlan {
  return _need(tlPlan(_id(cls), fields));
}

/** The decoder's plans; null when GramJS's schema no longer matches them (GramJS reads every page). */
function _decoderPlans(): _Plans | null {
  if (_plans !== undefined) return _plans;
  try {
    if (!mediaPlansReady()) throw new Error("media plans");
    const list = ["messages:Vector<Message>", "chats:Vector<Chat>", "users:Vector<User>"];
    const chat = (cls: { CONSTRUCTOR_ID: number }, kind: "chat" | "channel", f: string[]) => ({
      ..._plan(cls, f),
      kind,
    });
    _plans = {
      pages: new Map([
        [_id(Api.messages.Messages), _plan(Api.messages.Messages, list)],
        [_id(Api.messages.MessagesSlice), _plan(Api.messages.MessagesSlice, list)],
        [_id(Api.messages.ChannelMessages), _plan(Api.messages.ChannelMessages, list)],
        [_id(Api.messages.MessagesNotModified), _plan(Api.messages.MessagesNotModified, [])],
      ]),
      message: _plan(Api.Message, [
        "out:true",
        "id:int",
        "fromId:Peer",
        "peerId:Peer",
        "fwdFrom:MessageFwdHeader",
        "viaBotId:long",
        "replyTo:MessageReplyHeader",
        "date:int",
        "message:string",
        "media:MessageMedia",
        "entities:Vector<MessageEntity>",
        "views:int",
        "forwards:int",
        "replies:MessageReplies",
        "editDate:int",
        "postAuthor:string",
        "groupedId:long",
        "reactions:MessageReactions",
      ]),
      empty: _plan(Api.MessageEmpty, ["id:int"]),
      peers: new Map<number, PeerKind>([
        [_id(Api.PeerUser), _plan(Api.PeerUser, ["userId:long"]) && "user"],
        [_id(Api.PeerChat), _plan(Api.PeerChat, ["chatId:long"]) && "chat"],
        [_id(Api.PeerChannel), _plan(Api.PeerChannel, ["channelId:long"]) && "channel"],
      ]),
      reply: _plan(Api.MessageReplyHeader, [
        "forumTopic:true",
        "replyToMsgId:int",
        "replyToPeerId:Peer",
        "replyToTopId:int",
        "quoteText:string",
      ]),
      forward: _plan(Api.MessageFwdHeader, [
        "fromId:Peer",
        "fromName:string",
        "date:int",
        "channelPost:int",
        "postAuthor:string",
      ]),
      replies: _plan(Api.MessageReplies, ["comments:true", "replies:int", "channelId:long"]),
      reactions: _plan(Api.MessageReactions, ["results:Vector<ReactionCount>"]),
      reactionCount: _plan(Api.ReactionCount, ["reaction:Reaction", "count:int"]),
      reactionEmoji: _id(Api.ReactionEmoji),
      reactionCustom: _id(Api.ReactionCustomEmoji),
      reactionPaid: _id(Api.ReactionPaid),
      users: new Map([
        [
          _id(Api.User),
          _plan(Api.User, ["id:long", "firstName:string", "lastName:string", "username:string"]),
        ],
        [_id(Api.UserEmpty), _plan(Api.UserEmpty, ["id:long"])],
      ]),
      chats: new Map([
        [_id(Api.Chat), chat(Api.Chat, "chat", ["id:long", "title:string"])],
        [_id(Api.ChatForbidden), chat(Api.ChatForbidden, "chat", ["id:long", "title:string"])],
        [_id(Api.ChatEmpty), chat(Api.ChatEmpty, "chat", ["id:long"])],
        [_id(Api.Channel), chat(Api.Channel, "channel", ["id:long", "title:string", "username:string"])],
        [_id(Api.ChannelForbidden), chat(Api.ChannelForbidden, "channel", ["id:long", "title:string"])],
      ]),
    };
  } catch {
    _plans = null;
  }
  return _plans;
}

/** True when the fast decoder matches GramJS's schema (else every page takes GramJS's path). */
export function fastHistoryReady(): boolean {
  return _decoderPlans() !== null;
}

/**
 * Decodes a page answer at `offset` of `bytes` (see module comment); TlUnsupported when it
 * holds anything this decoder leaves to GramJS.
 */
export function decodeHistoryPage(bytes: Buffer, offset: number, chat: ChatRef): PageItem[] {
  const plans = _decoderPlans();
  if (!plans) throw new TlUnsupported("schema changed");
  const c = new TlCursor(bytes, offset);
  const plan = plans.pages.get(c.uint());
  if (!plan) throw new TlUnsupported("not a history page");
  const pending: _Pending = { refs: [], keys: [], forwards: [], bots: [] };
  const names = new Map<string, _Name>();
  const items: PageItem[] = [];
  const args = plan.ctor.args, codes = plan.codes;
  let flags = 0, flags2 = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) {
      const n = c.vector();
      for (let k = 0; k < n; k++) items.push(_message(c, plans, chat, pending));
    } else if (code === 2) {
      const n = c.vector();
      for (let k = 0; k < n; k++) _chat(c, plans, names);
    } else if (code === 3) {
      const n = c.vector();
      for (let k = 0; k < n; k++) _user(c, plans, names);
    } else c.skipArg(a);
  }
  _fill(pending, names);
  return items;
}

/** Fills in names, forwards and via-bot usernames, as map_message.ts does with peerNames. */
function _fill(p: _Pending, names: Map<string, _Name>): void {
  for (let i = 0; i < p.refs.length; i++) _named(p.refs[i], names.get(p.keys[i]));
  for (const f of p.forwards) {
    const out: NonNullable<Message["forward"]> = { date: f.date };
    if (f.from) {
      const from = f.from.ref;
      _named(from, names.get(f.from.key));
      out.from_id = from.id;
      out.from_kind = from.kind;
      if (from.name) out.from_name = from.name;
    }
    if (f.fromName) out.from_name = f.fromName;
    if (f.channelPost) out.channel_post = f.channelPost;
    if (f.postAuthor) out.signature = f.postAuthor;
    f.msg.forward = out;
  }
  for (const b of p.bots) {
    const username = names.get(b.key)?.username;
    if (username) b.via.username = username;
  }
}

function _named(ref: PeerRef, n: _Name | undefined): void {
  if (!n) return;
  if (n.name) ref.name = n.name;
  if (n.username) ref.username = n.username;
}

/** A Peer as a PeerRef ({id, kind}) and its peerNames key. */
function _peer(c: TlCursor, plans: _Plans): { ref: PeerRef; key: string } {
  const id = c.uint();
  const kind = plans.peers.get(id);
  if (!kind) throw new TlUnsupported(`peer ${id.toString(16)}`);
  const n = c.longNumber();
  return { ref: { id: n, kind }, key: `${kind}:${n}` };
}

function _nameLater(p: _Pending, x: { ref: PeerRef; key: string }): PeerRef {
  p.refs.push(x.ref);
  p.keys.push(x.key);
  return x.ref;
}

function _message(c: TlCursor, plans: _Plans, chat: ChatRef, p: _Pending): PageItem {
  const id = c.uint();
  if (id === plans.empty.ctor.id) return _empty(c, plans.empty);
  if (id !== plans.message.ctor.id) throw new TlUnsupported(`message ${id.toString(16)}`);
  const args = plans.message.ctor.args, codes = plans.message.codes;
  let flags = 0, flags2 = 0, out = false, mid = 0, date = 0, text = "";
  let from: { ref: PeerRef; key: string } | undefined, peer: { ref: PeerRef; key: string } | undefined;
  let fwd: Omit<_Forward, "msg"> | undefined, viaBot: number | undefined, reply: _Reply | undefined;
  let media: DecodedMedia = {}, entities: Message["entities"] = [];
  let views: number | null = null, forwards: number | null = null, editDate = 0, postAuthor = "";
  let comments: Message["comments"], grouped: string | undefined, reactions: Reaction[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    switch (codes[i]) {
      case 1:
        out = true;
        break;
      case 2:
        mid = c.int();
        break;
      case 3:
        from = _peer(c, plans);
        break;
      case 4:
        peer = _peer(c, plans);
        break;
      case 5:
        fwd = _forward(c, plans);
        break;
      case 6:
        viaBot = c.longNumber();
        break;
      case 7:
        reply = _reply(c, plans);
        break;
      case 8:
        date = c.int();
        break;
      case 9:
        text = c.string();
        break;
      case 10:
        media = readMedia(c);
        break;
      case 11:
        entities = readEntities(c);
        break;
      case 12:
        views = c.int();
        break;
      case 13:
        forwards = c.int();
        break;
      case 14:
        comments = _comments(c, plans);
        break;
      case 15:
        editDate = c.int();
        break;
      case 16:
        postAuthor = c.string();
        break;
      case 17:
        grouped = c.longString();
        break;
      case 18:
        reactions = _reactions(c, plans);
        break;
      default:
        c.skipArg(a);
    }
  }
  if (!peer) throw new TlUnsupported("message without peer");
  // map_message.ts's mapMessage, in its order of keys
  const chatRef = _nameLater(p, peer);
  const msg: Message = { id: mid, chat_id: chatRef.id ?? 0, date, text: "", entities: [] };
  const author = from ? _nameLater(p, from) : (out || chatRef.kind !== "channel" ? undefined : chatRef);
  if (author) msg.author = author;
  else if (chatRef.kind === "user" && !out) msg.author = chatRef;
  if (reply) _applyReply(msg, reply);
  msg.text = text;
  msg.entities = entities;
  if (editDate) msg.edit_date = editDate;
  if (postAuthor) msg.post_author = postAuthor;
  if (fwd) {
    msg.forward = { date: fwd.date };
    p.forwards.push({ msg, ...fwd });
  }
  if (viaBot !== undefined) {
    const via = { id: viaBot };
    msg.via_bot = via;
    p.bots.push({ via, key: `user:${viaBot}` });
  }
  if (grouped !== undefined) msg.grouped_id = grouped;
  // GramJS reads absent views/forwards as null, and gramPageItems drops them
  if (views !== null) msg.views = views;
  if (forwards !== null) msg.forwards = forwards;
  if (comments) msg.comments = comments;
  if (reactions && reactions.length > 0) msg.reactions = reactions;
  if (media.media) msg.media = media.media;
  else if (media.poll) msg.poll = media.poll;
  else if (media.location) msg.location = media.location;
  else if (media.contact) msg.contact = media.contact;
  const info = { id: mid, date, topicId: reply?.topic, caption: text };
  const thumb = media.thumb;
  const file = fileOfMedia(media.media, info, chat, () => thumb ? { thumb } : {});
  return file ? { id: mid, message: msg, file } : { id: mid, message: msg };
}

function _empty(c: TlCursor, plan: TlPlan): PageItem {
  const args = plan.ctor.args;
  let flags = 0, flags2 = 0, id = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    if (plan.codes[i] === 1) id = c.int();
    else c.skipArg(a);
  }
  return { id };
}

/** What map_message.ts's _reply reads of a MessageReplyHeader (GramJS: absent numbers are null). */
interface _Reply {
  forumTopic: boolean;
  msgId: number | null;
  topId: number | null;
  peerId: number | undefined;
  quote: string | null;
  /** forumTopic ? (topId ?? msgId) : undefined */
  topic: number | null | undefined;
}

function _reply(c: TlCursor, plans: _Plans): _Reply | undefined {
  const id = c.uint();
  if (id !== plans.reply.ctor.id) {
    // a story reply header: map_message.ts reads nothing from it
    c.skipFields(c.ctor(id), 0, 0, 0);
    return undefined;
  }
  const args = plans.reply.ctor.args, codes = plans.reply.codes;
  const r: _Reply = {
    forumTopic: false,
    msgId: null,
    topId: null,
    peerId: undefined,
    quote: null,
    topic: undefined,
  };
  let flags = 0, flags2 = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) r.forumTopic = true;
    else if (code === 2) r.msgId = c.int();
    else if (code === 3) r.peerId = _peer(c, plans).ref.id;
    else if (code === 4) r.topId = c.int();
    else if (code === 5) r.quote = c.string();
    else c.skipArg(a);
  }
  r.topic = r.forumTopic ? (r.topId ?? r.msgId) : undefined;
  return r;
}

/** map_message.ts's _reply on the model. */
function _applyReply(out: Message, r: _Reply): void {
  if (r.topic !== undefined) out.topic_id = r.topic as number;
  const isTopicOnly = r.forumTopic && (r.topId == null || r.msgId === r.topId);
  // GramJS never leaves replyToMsgId undefined (absent is null), so only a topic-only header stops here
  if (isTopicOnly) return;
  out.reply_to = { message_id: r.msgId as number };
  if (r.topic !== undefined) out.reply_to.topic_id = r.topic as number;
  if (r.peerId !== undefined) out.reply_to.chat_id = r.peerId;
  if (r.quote) out.reply_to.quote_text = r.quote;
}

function _forward(c: TlCursor, plans: _Plans): Omit<_Forward, "msg"> {
  const id = c.uint();
  if (id !== plans.forward.ctor.id) throw new TlUnsupported(`forward header ${id.toString(16)}`);
  const args = plans.forward.ctor.args, codes = plans.forward.codes;
  const f: Omit<_Forward, "msg"> = {
    date: 0,
    from: undefined,
    fromName: null,
    channelPost: null,
    postAuthor: null,
  };
  let flags = 0, flags2 = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    // the forward's own copy of the peer: _fill reads its name from the page's users and chats
    if (code === 1) f.from = _peer(c, plans);
    else if (code === 2) f.fromName = c.string();
    else if (code === 3) f.date = c.int();
    else if (code === 4) f.channelPost = c.int();
    else if (code === 5) f.postAuthor = c.string();
    else c.skipArg(a);
  }
  return f;
}

function _comments(c: TlCursor, plans: _Plans): Message["comments"] {
  const id = c.uint();
  if (id !== plans.replies.ctor.id) throw new TlUnsupported(`replies ${id.toString(16)}`);
  const args = plans.replies.ctor.args, codes = plans.replies.codes;
  let flags = 0, flags2 = 0, isComments = false, count = 0, channel: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) isComments = true;
    else if (code === 2) count = c.int();
    else if (code === 3) channel = c.longNumber();
    else c.skipArg(a);
  }
  if (!isComments) return undefined;
  const out: NonNullable<Message["comments"]> = { count };
  // GramJS's big-integer is truthy even for 0: any channel id present is kept
  if (channel !== undefined) out.chat_id = channel;
  return out;
}

function _reactions(c: TlCursor, plans: _Plans): Reaction[] {
  const id = c.uint();
  if (id !== plans.reactions.ctor.id) throw new TlUnsupported(`reactions ${id.toString(16)}`);
  const args = plans.reactions.ctor.args;
  const out: Reaction[] = [];
  let flags = 0, flags2 = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    if (plans.reactions.codes[i] !== 1) {
      c.skipArg(a);
      continue;
    }
    const n = c.vector();
    for (let k = 0; k < n; k++) out.push(_reactionCount(c, plans));
  }
  return out;
}

function _reactionCount(c: TlCursor, plans: _Plans): Reaction {
  const id = c.uint();
  if (id !== plans.reactionCount.ctor.id) throw new TlUnsupported(`reaction count ${id.toString(16)}`);
  const args = plans.reactionCount.ctor.args, codes = plans.reactionCount.codes;
  let flags = 0, flags2 = 0, count = 0, kind = 0, value = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 2) count = c.int();
    else if (code === 1) {
      kind = c.uint();
      if (kind === plans.reactionEmoji) value = c.string();
      else if (kind === plans.reactionCustom) value = c.longString();
      else c.skipFields(c.ctor(kind), 0, 0, 0);
    } else c.skipArg(a);
  }
  const x: Reaction = { count };
  if (kind === plans.reactionEmoji) x.emoji = value;
  else if (kind === plans.reactionCustom) x.custom_emoji_id = value;
  else if (kind === plans.reactionPaid) x.paid = true;
  // map_message.ts tests chosenOrder !== undefined, and GramJS reads an absent one as null
  x.chosen = true;
  return x;
}

function _user(c: TlCursor, plans: _Plans, names: Map<string, _Name>): void {
  const id = c.uint();
  const plan = plans.users.get(id);
  if (!plan) throw new TlUnsupported(`user ${id.toString(16)}`);
  const args = plan.ctor.args, codes = plan.codes;
  let flags = 0, flags2 = 0, uid = "", first: string | null = null, last: string | null = null;
  let username: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) uid = c.longString();
    else if (code === 2) first = c.string();
    else if (code === 3) last = c.string();
    else if (code === 4) username = c.string();
    else c.skipArg(a);
  }
  const n: _Name = {};
  const name = [first, last].filter(Boolean).join(" ");
  if (name) n.name = name;
  if (username) n.username = username;
  names.set(`user:${uid}`, n);
}

function _chat(c: TlCursor, plans: _Plans, names: Map<string, _Name>): void {
  const id = c.uint();
  const plan = plans.chats.get(id);
  if (!plan) throw new TlUnsupported(`chat ${id.toString(16)}`);
  const args = plan.ctor.args, codes = plan.codes;
  let flags = 0, flags2 = 0, cid = "", title: string | null = null, username: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) cid = c.longString();
    else if (code === 2) title = c.string();
    else if (code === 3) username = c.string();
    else c.skipArg(a);
  }
  const n: _Name = {};
  if (title) {
    n.name = title;
    if (username) n.username = username;
  }
  names.set(`${plan.kind}:${cid}`, n);
}
