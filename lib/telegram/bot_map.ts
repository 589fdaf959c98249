/**
 * GramJS messages, users and callback queries -> the plain types of lib/core/bot_types.ts. Chat
 * ids follow the Bot API's convention: a user's id for a private chat, -id for a basic group.
 */
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { BotMedia, BotUpdate, BotUser } from "../core/bot_types.ts";
import type { MediaKind } from "../core/message.ts";
import { mapMedia } from "./map_media.ts";
import { mapMessageFile } from "./media_messages.ts";
import { messageMedia } from "./message_media.ts";
import { encodePeer } from "./peer_ref.ts";

/** The user as the bot sees it. */
export function mapBotUser(u: Api.User): BotUser {
  const out: BotUser = { id: u.id.toString() };
  if (u.username) out.username = u.username;
  if (u.firstName) out.first_name = u.firstName;
  if (u.lastName) out.last_name = u.lastName;
  if (u.premium) out.premium = true;
  return out;
}

/** The Bot API chat id of a message's peer; undefined for channels (their pts is their own). */
export function chatIdOf(peer: Api.TypePeer): string | undefined {
  if (peer instanceof Api.PeerUser) return peer.userId.toString();
  if (peer instanceof Api.PeerChat) return `-${peer.chatId.toString()}`;
  return undefined;
}

const KINDS: Partial<Record<MediaKind, BotMedia["kind"]>> = {
  photo: "photo",
  video: "video",
  voice: "voice",
  audio: "audio",
  round: "video_note",
  document: "document",
  animation: "document",
};

/** A received message's file, when it has one the bot can download. */
export function mapBotMedia(m: Api.Message, sender: Api.User): BotMedia | undefined {
  const media = mapMedia(messageMedia(m)).media;
  const kind = media && KINDS[media.kind];
  if (!media || !kind) return undefined;
  const chat = {
    id: Number(sender.id.toString()),
    kind: "user" as const,
    title: sender.firstName ?? "",
    peer: encodePeer({
      kind: "user",
      id: Number(sender.id.toString()),
      accessHash: sender.accessHash?.toString(),
    }),
  };
  const file = mapMessageFile(m, chat);
  if (!file) return undefined;
  const out: BotMedia = { kind, size: file.size, ref: file };
  if (media.mime_type) out.mime_type = media.mime_type;
  if (media.duration !== undefined) out.duration = media.duration;
  if (media.file_name) out.file_name = media.file_name;
  return out;
}

/** An incoming message as a bot update; undefined for the bot's own and channel messages. */
export function mapBotMessage(m: Api.TypeMessage, users: Map<string, Api.User>): BotUpdate | undefined {
  if (!(m instanceof Api.Message) || m.out) return undefined;
  const chatId = chatIdOf(m.peerId);
  const fromId = m.fromId instanceof Api.PeerUser ? m.fromId.userId.toString() : chatId;
  const sender = fromId ? users.get(fromId) : undefined;
  if (!chatId || !sender || chatId.startsWith("-") && !(m.fromId instanceof Api.PeerUser)) return undefined;
  const out: BotUpdate = {
    kind: "message",
    chat_id: chatId,
    from: mapBotUser(sender),
    message_id: m.id,
    date: m.date,
    text: m.message ?? "",
  };
  const media = mapBotMedia(m, sender);
  if (media) out.media = media;
  return out;
}

/** A callback query as a bot update; undefined when its user is unknown. */
export function mapBotCallback(
  u: Api.UpdateBotCallbackQuery,
  users: Map<string, Api.User>,
): BotUpdate | undefined {
  const sender = users.get(u.userId.toString());
  const chatId = chatIdOf(u.peer);
  if (!sender || !chatId) return undefined;
  return {
    kind: "callback",
    query_id: u.queryId.toString(),
    chat_id: chatId,
    from: mapBotUser(sender),
    message_id: u.msgId,
    data: u.data ? Buffer.from(u.data).toString("utf8") : "",
  };
}
