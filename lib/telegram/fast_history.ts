/**
 * Decodes a history page (messages.Messages / MessagesSlice / ChannelMessages, the answer to
 * messages.getHistory and messages.getReplies) from its TL bytes straight into tgpipe's model,
 * without GramJS's objects: building them (and their big-integer longs) was the largest item left
 * on export's main thread, and they were most of what the young generation promoted
 * (docs/export-performance.md). The result is what map_message.ts and mapMessageFile make of
 * GramJS's objects, key for key and in the same key order (messages.jsonl is the model as
 * JSON); tests/telegram/fast_history_test.ts decodes the same bytes both ways. A page with
 * anything GramJS's schema does not know, truncated bytes or a peer id beyond 2^53 throws
 * TlUnsupported, and GramJS reads it instead (history_answer.ts).
 *
 * Names come last in a page (its users and chats follow the messages), so PeerRefs are made
 * with id and kind first and named at the end: the keys end up in _peer's order all the same.
 */
import type { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { Message, PeerRef, Reaction } from "../core/message.ts";
import { type ChatRef, fileOfMedia } from "./media_messages.ts";
import type { RemoteFile } from "./remote_file.ts";
import { type DecodedMedia, mediaPlans, readMedia } from "./fast_history_media.ts";
import { entityPlans, readEntities } from "./fast_history_entities.ts";
import {
  applyReply,
  type ForwardHeader,
  forwardOrigin,
  type KeyedPeer,
  nameRef,
  partPlans,
  type PeerName,
  readChat,
  readComments,
  readForward,
  readPeer,
  readReactions,
  readReply,
  readUser,
  type ReplyHeader,
} from "./fast_history_parts.ts";
import {
  actionPhoto,
  readAction,
  serviceOf,
  type ServicePending,
  servicePlans,
} from "./fast_history_service.ts";
import { TlCursor, TlFields, TlUnsupported } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

/** One message of a page as export takes it: its id, its model (none for MessageEmpty), its file. */
export interface PageItem {
  id: number;
  message?: Message;
  file?: RemoteFile;
}

/** What the page's users and chats complete once they are read. */
interface _Pending extends ServicePending {
  peers: KeyedPeer[];
  forwards: Array<{ msg: Message; h: ForwardHeader }>;
  bots: Array<{ via: { id?: number; username?: string }; key: string }>;
}

interface _Plans {
  pages: Map<number, TlPlan>;
  message: TlPlan;
  empty: TlPlan;
}

let _plans: _Plans | null | undefined;

function _decoderPlans(): _Plans | null {
  if (_plans !== undefined) return _plans;
  try {
    entityPlans();
    mediaPlans();
    partPlans();
    servicePlans();
    const list = ["messages:Vector<Message>", "chats:Vector<Chat>", "users:Vector<User>"];
    const pages = new Map<number, TlPlan>();
    for (const cls of [Api.messages.Messages, Api.messages.MessagesSlice, Api.messages.ChannelMessages]) {
      pages.set(cls.CONSTRUCTOR_ID >>> 0, needPlan(cls, list));
    }
    pages.set(
      Api.messages.MessagesNotModified.CONSTRUCTOR_ID >>> 0,
      needPlan(Api.messages.MessagesNotModified, []),
    );
    _plans = {
      pages,
      message: needPlan(Api.Message, [
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
      empty: needPlan(Api.MessageEmpty, ["id:int"]),
    };
  } catch {
    _plans = null;
  }
  return _plans;
}

/** True when the decoder's plans match GramJS's schema (else every page takes GramJS's path). */
export function fastHistoryReady(): boolean {
  return _decoderPlans() !== null;
}

/**
 * Decodes a page answer at `offset` of `bytes` (see module comment); TlUnsupported when it
 * holds anything this decoder leaves to GramJS.
 */
export function decodeHistoryPage(bytes: Buffer, offset: number, chat: ChatRef): PageItem[] {
  const plans = _decoderPlans();
  if (!plans) throw new TlUnsupported("GramJS's schema moved");
  const c = new TlCursor(bytes, offset);
  const plan = plans.pages.get(c.uint());
  if (!plan) throw new TlUnsupported("not a history page");
  const pending: _Pending = { peers: [], forwards: [], bots: [], members: [] };
  const names = new Map<string, PeerName>();
  const items: PageItem[] = [];
  const f = new TlFields(c, plan);
  for (let code = f.next(); code !== 0; code = f.next()) {
    const n = c.vector();
    for (let k = 0; k < n; k++) {
      if (code === 1) items.push(_message(c, plans, chat, pending));
      else if (code === 2) readChat(c, names);
      else readUser(c, names);
    }
  }
  for (const p of pending.peers) nameRef(p.ref, names.get(p.key));
  for (const { msg, h } of pending.forwards) msg.forward = forwardOrigin(h, names);
  // map_message.ts's member(): the user's name, else the id
  for (const { list, ids } of pending.members) {
    for (let i = 0; i < ids.length; i++) list[i] = names.get(`user:${ids[i]}`)?.name ?? ids[i];
  }
  for (const b of pending.bots) {
    const username = names.get(b.key)?.username;
    if (username) b.via.username = username;
  }
  return items;
}

function _later(p: _Pending, x: KeyedPeer): PeerRef {
  p.peers.push(x);
  return x.ref;
}

/** The fields of a Message, as read. */
interface _Raw {
  out: boolean;
  id: number;
  from?: KeyedPeer;
  peer?: KeyedPeer;
  fwd?: ForwardHeader;
  viaBot?: number;
  reply?: ReplyHeader;
  date: number;
  text: string;
  media: DecodedMedia;
  entities: Message["entities"];
  views: number | null;
  forwards: number | null;
  comments?: Message["comments"];
  editDate: number;
  postAuthor: string;
  grouped?: string;
  reactions?: Reaction[];
}

function _read(c: TlCursor, plan: TlPlan): _Raw {
  const m: _Raw = {
    out: false,
    id: 0,
    date: 0,
    text: "",
    media: {},
    entities: [],
    views: null,
    forwards: null,
    editDate: 0,
    postAuthor: "",
  };
  const f = new TlFields(c, plan);
  for (let code = f.next(); code !== 0; code = f.next()) {
    // deno-fmt-ignore
    switch (code) {
      case 1: m.out = true; break;
      case 2: m.id = c.int(); break;
      case 3: m.from = readPeer(c); break;
      case 4: m.peer = readPeer(c); break;
      case 5: m.fwd = readForward(c); break;
      case 6: m.viaBot = c.longNumber(); break;
      case 7: m.reply = readReply(c); break;
      case 8: m.date = c.int(); break;
      case 9: m.text = c.string(); break;
      case 10: m.media = readMedia(c); break;
      case 11: m.entities = readEntities(c); break;
      case 12: m.views = c.int(); break;
      case 13: m.forwards = c.int(); break;
      case 14: m.comments = readComments(c); break;
      case 15: m.editDate = c.int(); break;
      case 16: m.postAuthor = c.string(); break;
      case 17: m.grouped = c.longString(); break;
      default: m.reactions = readReactions(c);
    }
  }
  return m;
}

function _message(c: TlCursor, plans: _Plans, chat: ChatRef, p: _Pending): PageItem {
  const id = c.uint();
  if (id === plans.empty.ctor.id) {
    const f = new TlFields(c, plans.empty);
    let mid = 0;
    for (let code = f.next(); code !== 0; code = f.next()) mid = c.int();
    return { id: mid };
  }
  if (id === servicePlans().message.ctor.id) return _service(c, chat, p);
  if (id !== plans.message.ctor.id) throw new TlUnsupported(`message ${id.toString(16)}`);
  const m = _read(c, plans.message);
  if (!m.peer) throw new TlUnsupported("message without peer");
  // map_message.ts's mapMessage, in its order of keys
  const chatRef = _later(p, m.peer);
  const msg: Message = { id: m.id, chat_id: chatRef.id ?? 0, date: m.date, text: "", entities: [] };
  const author = m.from ? _later(p, m.from) : (m.out || chatRef.kind !== "channel" ? undefined : chatRef);
  if (author) msg.author = author;
  else if (chatRef.kind === "user" && !m.out) msg.author = chatRef;
  if (m.reply) applyReply(msg, m.reply);
  msg.text = m.text;
  msg.entities = m.entities;
  if (m.editDate) msg.edit_date = m.editDate;
  if (m.postAuthor) msg.post_author = m.postAuthor;
  if (m.fwd) {
    msg.forward = { date: m.fwd.date }; // its place; named at the end of the page
    p.forwards.push({ msg, h: m.fwd });
  }
  if (m.viaBot !== undefined) {
    const via = { id: m.viaBot };
    msg.via_bot = via;
    p.bots.push({ via, key: `user:${m.viaBot}` });
  }
  if (m.grouped !== undefined) msg.grouped_id = m.grouped;
  // absent views/forwards (null, as GramJS reads them too) stay out of the model
  if (m.views !== null) msg.views = m.views;
  if (m.forwards !== null) msg.forwards = m.forwards;
  if (m.comments) msg.comments = m.comments;
  if (m.reactions && m.reactions.length > 0) msg.reactions = m.reactions;
  const media = m.media;
  if (media.media) msg.media = media.media;
  else if (media.poll) msg.poll = media.poll;
  else if (media.location) msg.location = media.location;
  else if (media.contact) msg.contact = media.contact;
  const thumb = media.thumb;
  const info = { id: m.id, date: m.date, topicId: m.reply?.topic, caption: m.text };
  const file = fileOfMedia(media.media, info, chat, () => thumb ? { thumb } : {});
  return file ? { id: m.id, message: msg, file } : { id: m.id, message: msg };
}

/** A MessageService, as mapMessage and mapMessageFile take it. */
function _service(c: TlCursor, chat: ChatRef, p: _Pending): PageItem {
  let out = false, id = 0, date = 0, from: KeyedPeer | undefined, peer: KeyedPeer | undefined;
  let reply: ReplyHeader | undefined, action: ReturnType<typeof readAction> | undefined;
  const f = new TlFields(c, servicePlans().message);
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) out = true;
    else if (code === 2) id = c.int();
    else if (code === 3) from = readPeer(c);
    else if (code === 4) peer = readPeer(c);
    else if (code === 5) reply = readReply(c);
    else if (code === 6) date = c.int();
    else action = readAction(c);
  }
  if (!peer || !action) throw new TlUnsupported("service message without peer or action");
  const chatRef = _later(p, peer);
  const msg: Message = { id, chat_id: chatRef.id ?? 0, date, text: "", entities: [] };
  const author = from ? _later(p, from) : (out || chatRef.kind !== "channel" ? undefined : chatRef);
  if (author) msg.author = author;
  else if (chatRef.kind === "user" && !out) msg.author = chatRef;
  if (reply) applyReply(msg, reply);
  msg.service = serviceOf(action, msg.author, msg.reply_to?.message_id, p);
  const media = actionPhoto(action);
  if (media.media) msg.media = media.media;
  // a service message's reply header names its subject (the pinned message), as service.message_id
  delete msg.reply_to;
  const info = { id, date, topicId: reply?.topic, caption: "" };
  const file = fileOfMedia(media.media, info, chat, () => ({}));
  return file ? { id, message: msg, file } : { id, message: msg };
}
