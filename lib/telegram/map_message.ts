/**
 * GramJS messages -> tgpipe's Message model (lib/core/message.ts), plus the downloadable file of
 * each media message as a plain RemoteFile. Field choices follow Telegram Desktop's export so
 * that exporting from Telegram and importing a Desktop export render the same notes.
 */
import { Api } from "telegram";
import type {
  ForwardOrigin,
  Media,
  Message,
  MessageEntity,
  PeerKind,
  PeerRef,
  Reaction,
  ServiceAction,
} from "../core/message.ts";
import { mapMessageFile } from "./media_messages.ts";
import type { ChatRef } from "./media_messages.ts";
import type { RemoteFile } from "./remote_file.ts";

/** A mapped message and, for media messages, its file (with a fresh file reference). */
export interface MappedMessage {
  message: Message;
  file?: RemoteFile;
}

/** Users and chats of one answer, for author and forward names. */
export interface PeerNames {
  users: Map<string, Api.TypeUser>;
  chats: Map<string, Api.TypeChat>;
}

/** Indexes the users and chats that came with a messages answer. */
export function peerNamesOf(res: { users?: Api.TypeUser[]; chats?: Api.TypeChat[] }): PeerNames {
  const users = new Map<string, Api.TypeUser>();
  const chats = new Map<string, Api.TypeChat>();
  for (const u of res.users ?? []) users.set(u.id.toString(), u);
  for (const c of res.chats ?? []) chats.set(c.id.toString(), c);
  return { users, chats };
}

/** Maps one GramJS message of `chat`; undefined for MessageEmpty. */
export function mapMessage(m: Api.TypeMessage, chat: ChatRef, names: PeerNames): MappedMessage | undefined {
  if (m instanceof Api.MessageEmpty) return undefined;
  const msg: Message = { id: m.id, chat_id: chat.id, date: m.date, text: "", entities: [] };
  const author = m.fromId ? _peer(m.fromId, names) : undefined;
  if (m instanceof Api.MessageService) {
    if (author) msg.author = author;
    msg.service = _action(m.action, names, author);
    const pinned = m.replyTo instanceof Api.MessageReplyHeader ? m.replyTo.replyToMsgId : undefined;
    if (msg.service.type === "pin_message" && pinned !== undefined) msg.service.message_id = pinned;
    const topic = _topicOf(m.replyTo);
    if (topic !== undefined) msg.topic_id = topic;
    else if (msg.service.type === "topic_created" && chat.kind === "forum") msg.topic_id = m.id;
    return { message: msg };
  }
  const g = m as Api.Message;
  msg.text = g.message ?? "";
  msg.entities = (g.entities ?? []).map(_entity).filter((e): e is MessageEntity => e !== undefined);
  if (g.editDate) msg.edit_date = g.editDate;
  if (author) msg.author = author;
  if (g.postAuthor) msg.post_author = g.postAuthor;
  _reply(msg, g.replyTo, chat);
  if (g.fwdFrom) msg.forward = _forward(g.fwdFrom, names);
  if (g.viaBotId) {
    const bot = names.users.get(g.viaBotId.toString()) as Api.User | undefined;
    msg.via_bot = bot?.username
      ? { id: Number(g.viaBotId), username: bot.username }
      : { id: Number(g.viaBotId) };
  }
  const reactions = _reactions(g.reactions);
  if (reactions) msg.reactions = reactions;
  let file: RemoteFile | undefined;
  const media = g.media;
  if (media instanceof Api.MessageMediaPoll) msg.poll = _poll(media);
  else if (media instanceof Api.MessageMediaGeo && media.geo instanceof Api.GeoPoint) {
    msg.location = { latitude: media.geo.lat, longitude: media.geo.long };
  } else if (media instanceof Api.MessageMediaGeoLive && media.geo instanceof Api.GeoPoint) {
    msg.location = { latitude: media.geo.lat, longitude: media.geo.long, live_period: media.period };
  } else if (media instanceof Api.MessageMediaVenue && media.geo instanceof Api.GeoPoint) {
    msg.location = {
      latitude: media.geo.lat,
      longitude: media.geo.long,
      venue: { title: media.title, address: media.address || undefined },
    };
  } else if (media instanceof Api.MessageMediaContact) {
    msg.contact = {
      first_name: media.firstName || undefined,
      last_name: media.lastName || undefined,
      phone: media.phoneNumber || undefined,
      user_id: media.userId && !media.userId.isZero() ? Number(media.userId) : undefined,
    };
  } else if (media) {
    file = mapMessageFile(g, chat);
    const mapped = _media(g, file);
    if (mapped) msg.media = mapped;
  }
  if (g.groupedId) msg.grouped_id = g.groupedId.toString();
  const topic = _topicOf(g.replyTo);
  if (topic !== undefined && chat.kind === "forum") msg.topic_id = topic;
  if (g.replies?.comments) {
    msg.comments = { count: g.replies.replies };
    if (g.replies.channelId) msg.comments.chat_id = Number(g.replies.channelId);
  }
  if (g.views !== undefined && g.views !== null) msg.views = g.views;
  if (g.forwards !== undefined && g.forwards !== null) msg.forwards = g.forwards;
  return file ? { message: msg, file } : { message: msg };
}

function _reply(msg: Message, r: Api.TypeMessageReplyHeader | undefined, chat: ChatRef): void {
  if (!(r instanceof Api.MessageReplyHeader)) return;
  const forumRoot = r.forumTopic && r.replyToTopId === undefined;
  // A message in a forum topic "replies" to the topic root; that is membership, not a reply.
  if (r.replyToMsgId === undefined || (forumRoot && chat.kind === "forum")) return;
  msg.reply_to = { message_id: r.replyToMsgId };
  if (r.replyToPeerId) {
    const p = _peerId(r.replyToPeerId);
    if (p.id !== chat.id) msg.reply_to.chat_id = p.id;
  }
  if (r.quoteText) msg.reply_to.quote_text = r.quoteText;
}

function _topicOf(r: Api.TypeMessageReplyHeader | undefined): number | undefined {
  if (!(r instanceof Api.MessageReplyHeader) || !r.forumTopic) return undefined;
  return r.replyToTopId ?? r.replyToMsgId;
}

function _peerId(p: Api.TypePeer): { id: number; kind: PeerKind } {
  if (p instanceof Api.PeerUser) return { id: Number(p.userId), kind: "user" };
  if (p instanceof Api.PeerChat) return { id: Number(p.chatId), kind: "chat" };
  return { id: Number((p as Api.PeerChannel).channelId), kind: "channel" };
}

function _peer(p: Api.TypePeer, names: PeerNames): PeerRef {
  const { id, kind } = _peerId(p);
  const ref: PeerRef = { id, kind };
  if (kind === "user") {
    const u = names.users.get(String(id));
    if (u instanceof Api.User) {
      const name = [u.firstName, u.lastName].filter(Boolean).join(" ");
      if (name) ref.name = name;
      else if (u.deleted) ref.name = "Deleted Account";
      if (u.username) ref.username = u.username;
    }
  } else {
    const c = names.chats.get(String(id)) as { title?: string; username?: string } | undefined;
    if (c?.title) ref.name = c.title;
    if (c?.username) ref.username = c.username;
  }
  return ref;
}

function _forward(f: Api.MessageFwdHeader, names: PeerNames): ForwardOrigin {
  const out: ForwardOrigin = {};
  const from = f.fromId ? _peer(f.fromId, names) : undefined;
  const name = f.fromName ?? from?.name;
  if (name !== undefined) out.from_name = name;
  if (from) {
    out.from_id = from.id;
    out.from_kind = from.kind;
  }
  if (f.channelPost) out.channel_post = f.channelPost;
  if (f.date) out.date = f.date;
  if (f.postAuthor) out.signature = f.postAuthor;
  return out;
}

const PLAIN: Record<string, MessageEntity["type"]> = {
  MessageEntityBold: "bold",
  MessageEntityItalic: "italic",
  MessageEntityUnderline: "underline",
  MessageEntityStrike: "strikethrough",
  MessageEntitySpoiler: "spoiler",
  MessageEntityCode: "code",
  MessageEntityMention: "mention",
  MessageEntityHashtag: "hashtag",
  MessageEntityCashtag: "cashtag",
  MessageEntityBotCommand: "bot_command",
  MessageEntityUrl: "url",
  MessageEntityEmail: "email",
  MessageEntityPhone: "phone",
};

function _entity(e: Api.TypeMessageEntity): MessageEntity | undefined {
  const at = { offset: e.offset, length: e.length };
  const plain = PLAIN[e.className];
  if (plain) return { ...at, type: plain } as MessageEntity;
  if (e instanceof Api.MessageEntityPre) {
    return e.language ? { ...at, type: "pre", language: e.language } : { ...at, type: "pre" };
  }
  if (e instanceof Api.MessageEntityTextUrl) return { ...at, type: "text_link", url: e.url };
  if (e instanceof Api.MessageEntityMentionName) {
    return { ...at, type: "mention_name", user_id: Number(e.userId) };
  }
  if (e instanceof Api.InputMessageEntityMentionName) return undefined;
  if (e instanceof Api.MessageEntityBlockquote) {
    return e.collapsed ? { ...at, type: "blockquote", collapsed: true } : { ...at, type: "blockquote" };
  }
  if (e instanceof Api.MessageEntityCustomEmoji) {
    return { ...at, type: "custom_emoji", document_id: e.documentId.toString() };
  }
  // bank cards and unknown entities carry no formatting (as in Desktop exports)
  return undefined;
}

function _reactions(r: Api.TypeMessageReactions | undefined): Reaction[] | undefined {
  if (!(r instanceof Api.MessageReactions) || r.results.length === 0) return undefined;
  return r.results.map((c) => {
    const out: Reaction = { count: c.count };
    const x = c.reaction as unknown;
    if (typeof x === "string") out.emoji = x;
    else if (x instanceof Api.ReactionEmoji) out.emoji = x.emoticon;
    else if (x instanceof Api.ReactionCustomEmoji) out.custom_emoji_id = x.documentId.toString();
    else if (x instanceof Api.ReactionPaid) out.paid = true;
    if (c.chosenOrder !== undefined) out.chosen = true;
    return out;
  });
}

function _text(t: unknown): string {
  if (typeof t === "string") return t;
  return String((t as { text?: string } | undefined)?.text ?? "");
}

function _poll(p: Api.MessageMediaPoll): Message["poll"] {
  const results = p.results?.results ?? [];
  const byOption = new Map(results.map((r) => [Array.from(r.option).join(","), r]));
  return {
    question: _text(p.poll.question),
    answers: p.poll.answers.map((a) => {
      const r = byOption.get(Array.from(a.option).join(","));
      const out: NonNullable<Message["poll"]>["answers"][number] = { text: _text(a.text) };
      if (r) {
        out.voters = r.voters;
        out.chosen = r.chosen === true;
        if (r.correct) out.correct = true;
      }
      return out;
    }),
    total_voters: p.results?.totalVoters,
    closed: p.poll.closed === true,
    quiz: p.poll.quiz || undefined,
    multiple_choice: p.poll.multipleChoice || undefined,
  };
}

function _media(m: Api.Message, file: RemoteFile | undefined): Media | undefined {
  const media = m.media;
  const spoiler = (media as { spoiler?: boolean }).spoiler === true;
  if (media instanceof Api.MessageMediaPhoto && media.photo instanceof Api.Photo) {
    const out: Media = { kind: "photo" };
    const sizes = media.photo.sizes.filter((s) =>
      s instanceof Api.PhotoSize || s instanceof Api.PhotoSizeProgressive
    );
    const best = sizes.at(-1) as Api.PhotoSize | undefined;
    if (file) {
      out.ref = `photo:${file.location.id}`;
      out.size = file.size;
    }
    if (best) {
      out.width = best.w;
      out.height = best.h;
    }
    if (spoiler) out.spoiler = true;
    return out;
  }
  if (media instanceof Api.MessageMediaDocument && media.document instanceof Api.Document) {
    const d = media.document;
    const out: Media = { kind: file?.mediaType ?? "document", ref: `document:${d.id}` };
    for (const a of d.attributes) {
      if (a instanceof Api.DocumentAttributeFilename) out.file_name = a.fileName;
      else if (a instanceof Api.DocumentAttributeVideo) {
        out.width = a.w;
        out.height = a.h;
        out.duration = Math.round(a.duration);
      } else if (a instanceof Api.DocumentAttributeAudio) {
        out.duration = a.duration;
        if (a.performer) out.performer = a.performer;
        if (a.title) out.title = a.title;
      } else if (a instanceof Api.DocumentAttributeImageSize) {
        out.width ??= a.w;
        out.height ??= a.h;
      } else if (a instanceof Api.DocumentAttributeSticker && a.alt) out.emoji = a.alt;
    }
    out.mime_type = d.mimeType;
    out.size = Number(d.size);
    if (spoiler) out.spoiler = true;
    return out;
  }
  return undefined;
}

const ACTIONS: Record<string, string> = {
  MessageActionChatCreate: "create_group",
  MessageActionChannelCreate: "create_channel",
  MessageActionChatMigrateTo: "migrate_to_supergroup",
  MessageActionChannelMigrateFrom: "migrate_from_group",
  MessageActionChatEditTitle: "edit_group_title",
  MessageActionChatEditPhoto: "edit_group_photo",
  MessageActionChatDeletePhoto: "delete_group_photo",
  MessageActionChatAddUser: "invite_members",
  MessageActionChatDeleteUser: "remove_members",
  MessageActionChatJoinedByLink: "join_group_by_link",
  MessageActionChatJoinedByRequest: "join_group_by_request",
  MessageActionPinMessage: "pin_message",
  MessageActionHistoryClear: "clear_history",
  MessageActionPhoneCall: "phone_call",
  MessageActionGroupCall: "group_call",
  MessageActionTopicCreate: "topic_created",
  MessageActionTopicEdit: "topic_edit",
  MessageActionGameScore: "score_in_game",
  MessageActionScreenshotTaken: "screenshot_taken",
  MessageActionSetMessagesTTL: "set_messages_ttl",
};

function _action(a: Api.TypeMessageAction, names: PeerNames, actor: PeerRef | undefined): ServiceAction {
  const type = ACTIONS[a.className];
  if (a instanceof Api.MessageActionCustomAction) return { type: a.message, actor };
  const out: ServiceAction = { type: type ?? a.className.replace(/^MessageAction/, "").toLowerCase(), actor };
  const x = a as unknown as Record<string, unknown>;
  if (typeof x.title === "string") out.title = x.title;
  const ids = Array.isArray(x.users) ? x.users : x.userId !== undefined ? [x.userId] : [];
  if (ids.length > 0) {
    out.members = ids.map((id) => {
      const p = _peer(new Api.PeerUser({ userId: id as Api.long }), names);
      return p.name ?? `user ${p.id}`;
    });
  }
  if (typeof x.duration === "number") out.duration = x.duration;
  if (typeof x.period === "number") out.duration = x.period;
  return out;
}
