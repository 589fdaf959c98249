/** World users, chats and messages -> genuine TL objects of the client's layer. */
import type { WChat, WMessage, World, WPeer, WUser } from "./types.ts";
import { chatKey } from "./builder.ts";
import { actionToTl, big, entitiesToTl, type MediaEnv, mediaToTl } from "./to_tl_media.ts";

// deno-lint-ignore no-explicit-any
type Tl = any;

/** Conversion context: layer, world, the calling user and comment-thread statistics. */
export interface TlEnv extends MediaEnv {
  world: World;
  /** The user the answer is for (sets User.self and Message.out). */
  me: bigint;
  /** Comment count and last id of a channel post's discussion thread. */
  thread(chatId: bigint, topId: number): { count: number; maxId: number };
}

/** TL Peer of a world peer. */
export function peerToTl(env: TlEnv, p: WPeer): Tl {
  const A = env.A;
  if (p.kind === "user") return new A.PeerUser({ userId: big(p.id) });
  if (p.kind === "chat") return new A.PeerChat({ chatId: big(p.id) });
  return new A.PeerChannel({ channelId: big(p.id) });
}

/** The peer a chat is addressed as. */
export function chatPeer(c: WChat): WPeer {
  if (c.kind === "private") return { kind: "user", id: c.id };
  return { kind: c.kind === "group" ? "chat" : "channel", id: c.id };
}

/** TL User. */
export function userToTl(env: TlEnv, u: WUser): Tl {
  const A = env.A;
  return new A.User({
    self: u.id === env.me || undefined,
    bot: u.bot || undefined,
    premium: u.premium || undefined,
    deleted: u.deleted || undefined,
    id: big(u.id),
    accessHash: big(u.accessHash),
    firstName: u.deleted ? undefined : u.firstName,
    lastName: u.lastName,
    username: u.username,
    phone: u.phone,
    botInfoVersion: u.bot ? 1 : undefined,
    status: u.bot ? undefined : new A.UserStatusRecently({}),
  });
}

/** TL Chat/Channel for a group chat (private chats have none). */
export function chatToTl(env: TlEnv, c: WChat): Tl | undefined {
  const A = env.A;
  if (c.kind === "private") return undefined;
  if (c.kind === "group") {
    return new A.Chat({
      id: big(c.id),
      title: c.title,
      photo: _chatPhoto(env, c),
      participantsCount: c.participants.length,
      date: c.date,
      version: 1,
      left: !c.selfMember || undefined,
    });
  }
  return new A.Channel({
    id: big(c.id),
    accessHash: big(c.accessHash),
    title: c.title,
    username: c.username,
    photo: _chatPhoto(env, c),
    date: c.date,
    broadcast: c.kind === "channel" || undefined,
    megagroup: c.kind !== "channel" || undefined,
    forum: c.kind === "forum" || undefined,
    left: !c.selfMember || undefined,
    hasLink: c.linkedChatId !== undefined || undefined,
    participantsCount: c.participants.length,
  });
}

/** The chat's current photo as Chat.photo / Channel.photo carry it (downloaded by peer, not by reference). */
function _chatPhoto(env: TlEnv, c: WChat): Tl {
  const A = env.A;
  if (!c.photo) return new A.ChatPhotoEmpty();
  return new A.ChatPhoto({ photoId: big(c.photo.id), dcId: env.fileDc(c.photo) });
}

/** TL Message or MessageService. */
export function messageToTl(env: TlEnv, c: WChat, m: WMessage): Tl {
  const A = env.A;
  const peerId = peerToTl(env, chatPeer(c));
  const fromId = m.from ? peerToTl(env, m.from) : undefined;
  const out = (m.from?.kind === "user" && m.from.id === env.me) || undefined;
  const replyTo = m.reply || m.action?.messageId
    ? new A.MessageReplyHeader({
      replyToMsgId: m.reply?.msgId ?? m.action?.messageId,
      replyToTopId: m.reply?.topId,
      forumTopic: m.reply?.forumTopic || undefined,
    })
    : undefined;
  if (m.action) {
    return new A.MessageService({
      out,
      post: m.post || undefined,
      id: m.id,
      fromId,
      peerId,
      replyTo,
      date: m.date,
      action: actionToTl(env, m.action),
    });
  }
  return new A.Message({
    out,
    post: m.post || undefined,
    pinned: m.pinned || undefined,
    id: m.id,
    fromId,
    peerId,
    fwdFrom: m.fwd
      ? new A.MessageFwdHeader({
        fromId: m.fwd.from ? peerToTl(env, m.fwd.from) : undefined,
        fromName: m.fwd.fromName,
        date: m.fwd.date,
        channelPost: m.fwd.channelPost,
      })
      : undefined,
    viaBotId: m.viaBotId !== undefined ? big(m.viaBotId) : undefined,
    replyTo,
    date: m.date,
    message: m.text,
    media: m.media ? mediaToTl(env, m.media) : undefined,
    entities: m.entities.length ? entitiesToTl(A, m.entities) : undefined,
    views: m.views,
    forwards: m.views !== undefined ? 0 : undefined,
    replies: _replies(env, m),
    editDate: m.editDate,
    groupedId: m.groupedId !== undefined ? big(m.groupedId) : undefined,
    reactions: m.reactions?.length ? _reactions(env, m.reactions) : undefined,
  });
}

function _replies(env: TlEnv, m: WMessage): Tl {
  if (!m.comments) return undefined;
  const t = env.thread(m.comments.chatId, m.comments.msgId);
  return new env.A.MessageReplies({
    comments: true,
    replies: t.count,
    repliesPts: 1,
    channelId: big(m.comments.chatId),
    maxId: t.maxId || undefined,
  });
}

function _reactions(env: TlEnv, list: { emoji: string; count: number }[]): Tl {
  const A = env.A;
  // Layer 145 replaced the plain emoji string with the Reaction type.
  const r = (e: string) => (A.ReactionEmoji ? new A.ReactionEmoji({ emoticon: e }) : e);
  return new A.MessageReactions({
    results: list.map((x) => new A.ReactionCount({ reaction: r(x.emoji), count: x.count })),
  });
}

/** Users and chats an answer must carry for its messages (and the chats themselves). */
export function peersFor(
  env: TlEnv,
  items: { chat: WChat; msgs: WMessage[] }[],
): { users: Tl[]; chats: Tl[] } {
  const userIds = new Set<bigint>([env.me]);
  const chatKeys = new Set<string>();
  const addPeer = (p?: WPeer) => {
    if (!p) return;
    if (p.kind === "user") userIds.add(p.id);
    else chatKeys.add(chatKey(p.kind === "chat" ? "group" : "channel", p.id));
  };
  for (const { chat, msgs } of items) {
    addPeer(chatPeer(chat));
    if (chat.linkedChatId !== undefined) chatKeys.add(chatKey("supergroup", chat.linkedChatId));
    for (const m of msgs) {
      addPeer(m.from);
      addPeer(m.fwd?.from);
      if (m.viaBotId !== undefined) userIds.add(m.viaBotId);
      for (const e of m.entities) if (e.userId !== undefined) userIds.add(e.userId);
      for (const u of m.action?.userIds ?? []) userIds.add(u);
      if (m.action?.inviterId !== undefined) userIds.add(m.action.inviterId);
    }
  }
  const users = [...userIds].map((id) => env.world.users.get(id)).filter((u) => u).map((u) =>
    userToTl(env, u!)
  );
  const chats = [...chatKeys].map((k) => env.world.chats.get(k)).filter((c) => c).map((c) =>
    chatToTl(env, c!)
  );
  return { users, chats };
}
