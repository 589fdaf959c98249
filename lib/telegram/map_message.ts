/**
 * Maps GramJS Message/MessageService into tgpipe's Message model (lib/core/message.ts):
 * text and entities, author, replies and topics, forwards, via bot, reactions, media, service
 * actions. Names come from the users/chats that arrived with the messages.
 */
import { Api } from "telegram";
import type { Message, MessageEntity, PeerRef, PlainEntityType, ServiceAction } from "../core/message.ts";
import { mapMedia } from "./map_media.ts";
import { messageMedia } from "./message_media.ts";

/** Users and chats that came with a batch of messages, keyed "user:<id>", "chat:<id>", "channel:<id>". */
export type PeerNames = Map<string, Api.TypeUser | Api.TypeChat>;

/** Indexes the users and chats of a response for mapMessage. */
export function peerNames(users: Api.TypeUser[], chats: Api.TypeChat[]): PeerNames {
  const names: PeerNames = new Map();
  for (const u of users) names.set(`user:${u.id}`, u);
  for (const c of chats) {
    const kind = c instanceof Api.Channel || c instanceof Api.ChannelForbidden ? "channel" : "chat";
    names.set(`${kind}:${c.id}`, c);
  }
  return names;
}

/** Maps one message; undefined for MessageEmpty. */
export function mapMessage(m: Api.TypeMessage, names: PeerNames = new Map()): Message | undefined {
  if (m instanceof Api.MessageEmpty) return undefined;
  const chat = _peer(m.peerId, names);
  const out: Message = { id: m.id, chat_id: chat.id ?? 0, date: m.date, text: "", entities: [] };
  const from = m.fromId ? _peer(m.fromId, names) : (m.out || chat.kind !== "channel" ? undefined : chat);
  if (from) out.author = from;
  else if (chat.kind === "user" && !m.out) out.author = chat;
  _reply(out, m.replyTo);
  if (m instanceof Api.MessageService) {
    out.service = _service(m.action, out, names);
    // a new chat photo (or a suggested one) is the message's media, as Desktop exports write it
    Object.assign(out, mapMedia(messageMedia(m)));
    // a service message's reply header names its subject (the pinned message), as service.message_id
    delete out.reply_to;
    return out;
  }
  const msg = m as Api.Message;
  out.text = msg.message ?? "";
  out.entities = (msg.entities ?? []).flatMap(_entity);
  if (msg.editDate) out.edit_date = msg.editDate;
  if (msg.postAuthor) out.post_author = msg.postAuthor;
  if (msg.fwdFrom) out.forward = _forward(msg.fwdFrom, names);
  if (msg.viaBotId) {
    const bot = names.get(`user:${msg.viaBotId}`) as Api.User | undefined;
    out.via_bot = bot?.username
      ? { id: Number(msg.viaBotId), username: bot.username }
      : { id: Number(msg.viaBotId) };
  }
  if (msg.groupedId) out.grouped_id = msg.groupedId.toString();
  // GramJS reads an absent flags.N? field as null (not undefined): `!= null` leaves it out of the model
  if (msg.views != null) out.views = msg.views;
  if (msg.forwards != null) out.forwards = msg.forwards;
  if (msg.replies && msg.replies.comments) {
    out.comments = { count: msg.replies.replies };
    if (msg.replies.channelId) out.comments.chat_id = Number(msg.replies.channelId);
  }
  const reactions = msg.reactions?.results ?? [];
  if (reactions.length > 0) {
    out.reactions = reactions.map((r) => {
      const x: NonNullable<Message["reactions"]>[number] = { count: r.count };
      if (r.reaction instanceof Api.ReactionEmoji) x.emoji = r.reaction.emoticon;
      else if (r.reaction instanceof Api.ReactionCustomEmoji) {
        x.custom_emoji_id = r.reaction.documentId.toString();
      } else if (r.reaction instanceof Api.ReactionPaid) x.paid = true;
      // chosen_order is there only on the reactions the account chose
      if (r.chosenOrder != null) x.chosen = true;
      return x;
    });
  }
  Object.assign(out, mapMedia(msg.media));
  return out;
}

function _peer(p: Api.TypePeer, names: PeerNames): PeerRef {
  const [kind, id] = p instanceof Api.PeerUser
    ? ["user", p.userId] as const
    : p instanceof Api.PeerChat
    ? ["chat", p.chatId] as const
    : ["channel", (p as Api.PeerChannel).channelId] as const;
  const ref: PeerRef = { id: Number(id), kind };
  const e = names.get(`${kind}:${id}`);
  if (e instanceof Api.User) {
    const name = [e.firstName, e.lastName].filter(Boolean).join(" ");
    if (name) ref.name = name;
    if (e.username) ref.username = e.username;
  } else if (e && "title" in e && e.title) {
    ref.name = e.title;
    if (e instanceof Api.Channel && e.username) ref.username = e.username;
  }
  return ref;
}

function _reply(out: Message, r: Api.TypeMessageReplyHeader | undefined): void {
  if (!(r instanceof Api.MessageReplyHeader)) return;
  const topic = r.forumTopic ? (r.replyToTopId ?? r.replyToMsgId) : undefined;
  if (topic != null) out.topic_id = topic;
  // In a forum, a plain message "replies" to its topic root; that is membership, not a reply (nor
  // is an explicit reply to the root, the "topic created" line). GramJS decodes an absent
  // replyToTopId / replyToMsgId as null; a header without a message id (a quote-only one) is no reply.
  const isTopicOnly = r.forumTopic && (r.replyToTopId == null || r.replyToMsgId === r.replyToTopId);
  if (r.replyToMsgId == null || isTopicOnly) return;
  out.reply_to = { message_id: r.replyToMsgId };
  if (topic != null) out.reply_to.topic_id = topic;
  if (r.replyToPeerId) out.reply_to.chat_id = Number(_peer(r.replyToPeerId, new Map()).id);
  if (r.quoteText) out.reply_to.quote_text = r.quoteText;
}

function _forward(f: Api.MessageFwdHeader, names: PeerNames): Message["forward"] {
  const out: NonNullable<Message["forward"]> = { date: f.date };
  if (f.fromId) {
    const p = _peer(f.fromId, names);
    out.from_id = p.id;
    out.from_kind = p.kind;
    if (p.name) out.from_name = p.name;
  }
  if (f.fromName) out.from_name = f.fromName;
  if (f.channelPost) out.channel_post = f.channelPost;
  if (f.postAuthor) out.signature = f.postAuthor;
  return out;
}

function _entity(e: Api.TypeMessageEntity): MessageEntity[] {
  const r = { offset: e.offset, length: e.length };
  if (e instanceof Api.MessageEntityPre) {
    return [{ ...r, type: "pre", ...(e.language ? { language: e.language } : {}) }];
  }
  if (e instanceof Api.MessageEntityTextUrl) return [{ ...r, type: "text_link", url: e.url }];
  if (e instanceof Api.MessageEntityMentionName) {
    return [{ ...r, type: "mention_name", user_id: Number(e.userId) }];
  }
  if (e instanceof Api.MessageEntityBlockquote) {
    return [{ ...r, type: "blockquote", ...(e.collapsed ? { collapsed: true } : {}) }];
  }
  if (e instanceof Api.MessageEntityCustomEmoji) {
    return [{ ...r, type: "custom_emoji", document_id: e.documentId.toString() }];
  }
  const plain = PLAIN_ENTITIES[e.className];
  return plain ? [{ ...r, type: plain }] : [];
}

/** GramJS entity classes that map to a plain range entity (fast_history_entities.ts reads the same). */
export const PLAIN_ENTITIES: Record<string, PlainEntityType> = {
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

function _service(a: Api.TypeMessageAction, out: Message, names: PeerNames): ServiceAction {
  const actor = out.author;
  const s = (type: string, extra: Partial<ServiceAction> = {}): ServiceAction => ({
    type,
    ...(actor ? { actor } : {}),
    ...extra,
  });
  // Desktop exports list members by name; the API by id, with the users beside the messages
  const member = (id: Api.PeerUser["userId"]) =>
    _peer(new Api.PeerUser({ userId: id }), names).name ?? String(id);
  if (a instanceof Api.MessageActionChatCreate) {
    return s("create_group", { title: a.title, members: a.users.map(member) });
  }
  if (a instanceof Api.MessageActionChannelCreate) return s("create_channel", { title: a.title });
  if (a instanceof Api.MessageActionChatEditTitle) return s("edit_group_title", { title: a.title });
  if (a instanceof Api.MessageActionChatEditPhoto) return s("edit_group_photo");
  if (a instanceof Api.MessageActionChatDeletePhoto) return s("delete_group_photo");
  if (a instanceof Api.MessageActionSuggestProfilePhoto) return s("suggest_profile_photo");
  if (a instanceof Api.MessageActionChatAddUser) return s("invite_members", { members: a.users.map(member) });
  if (a instanceof Api.MessageActionChatDeleteUser) {
    return s("remove_members", { members: [member(a.userId)] });
  }
  if (a instanceof Api.MessageActionChatJoinedByLink) {
    const inviter = _peer(new Api.PeerUser({ userId: a.inviterId }), names);
    return s("join_group_by_link", inviter.id ? { inviter } : {});
  }
  if (a instanceof Api.MessageActionChatJoinedByRequest) return s("join_group_by_request");
  if (a instanceof Api.MessageActionChatMigrateTo) return s("migrate_to_supergroup");
  if (a instanceof Api.MessageActionChannelMigrateFrom) return s("migrate_from_group", { title: a.title });
  if (a instanceof Api.MessageActionPinMessage) {
    return s("pin_message", { message_id: out.reply_to?.message_id });
  }
  if (a instanceof Api.MessageActionHistoryClear) return s("clear_history");
  if (a instanceof Api.MessageActionPhoneCall) {
    const reason = a.reason ? REASONS[a.reason.className] : undefined;
    return s("phone_call", {
      ...(a.duration ? { duration: a.duration } : {}),
      ...(reason ? { data: { discard_reason: reason } } : {}),
    });
  }
  if (a instanceof Api.MessageActionContactSignUp) return s("joined_telegram");
  if (a instanceof Api.MessageActionSetChatTheme) {
    return s("edit_chat_theme", { data: { emoticon: a.emoticon } });
  }
  if (a instanceof Api.MessageActionInviteToGroupCall) {
    return s("invite_to_group_call", { members: a.users.map(member) });
  }
  if (a instanceof Api.MessageActionCustomAction) return s("custom_action", { text: a.message });
  if (a instanceof Api.MessageActionGroupCall) {
    return s("group_call", a.duration ? { duration: a.duration } : {});
  }
  if (a instanceof Api.MessageActionTopicCreate) return s("topic_created", { title: a.title });
  if (a instanceof Api.MessageActionTopicEdit) return s("topic_edit", _topicEdit(a));
  if (a instanceof Api.MessageActionScreenshotTaken) return s("take_screenshot");
  if (a instanceof Api.MessageActionSetMessagesTTL) return s("set_messages_ttl", { duration: a.period });
  return s("other", { data: { action: a.className } });
}

/** PhoneCallDiscardReason -> Desktop's discard_reason. */
const REASONS: Record<string, string> = {
  PhoneCallDiscardReasonBusy: "busy",
  PhoneCallDiscardReasonDisconnect: "disconnect",
  PhoneCallDiscardReasonHangup: "hangup",
  PhoneCallDiscardReasonMissed: "missed",
};

/** Only the fields Telegram set: each flag says what changed. */
function _topicEdit(a: Api.MessageActionTopicEdit): Partial<ServiceAction> {
  const x: Partial<ServiceAction> = {};
  if (a.title) x.title = a.title;
  if (a.iconEmojiId != null) x.icon_emoji_id = a.iconEmojiId.toString();
  if (typeof a.closed === "boolean") x.closed = a.closed;
  if (typeof a.hidden === "boolean") x.hidden = a.hidden;
  return x;
}
