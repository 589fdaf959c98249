/** Maps GramJS users and chats into tgpipe's Chat model and peer locators (lib/telegram only). */
import { Api } from "telegram";
import type { Chat, ChatKind } from "../core/message.ts";
import { encodePeer } from "./peer_ref.ts";

/** A user or chat object as GramJS returns them. */
export type GramEntity = Api.TypeUser | Api.TypeChat;

/** Maps a GramJS user/chat/channel to a Chat plus its peer locator string. */
export function mapEntity(e: GramEntity, selfId?: number): Chat & { peer: string } {
  if (e instanceof Api.User || e instanceof Api.UserEmpty) {
    const u = e as Api.User;
    const id = Number(u.id);
    const self = u.self || (selfId !== undefined && id === selfId);
    const kind: ChatKind = self ? "saved" : u.bot ? "bot" : "user";
    const title = self
      ? "Saved Messages"
      : [u.firstName, u.lastName].filter(Boolean).join(" ") || (u.deleted ? "Deleted Account" : `user ${id}`);
    const peer = encodePeer({ kind: "user", id, accessHash: u.accessHash?.toString() });
    return _withUsername({ id, kind, title, peer }, u.username ?? u.usernames?.[0]?.username);
  }
  if (e instanceof Api.Channel || e instanceof Api.ChannelForbidden) {
    const c = e as Api.Channel;
    const kind: ChatKind = c.forum ? "forum" : c.megagroup ? "supergroup" : "channel";
    const peer = encodePeer({ kind: "channel", id: Number(c.id), accessHash: c.accessHash?.toString() });
    return _withUsername(
      { id: Number(c.id), kind, title: c.title ?? "", peer },
      c.username ?? c.usernames?.[0]?.username,
    );
  }
  const c = e as Api.Chat;
  return {
    id: Number(c.id),
    kind: "group",
    title: c.title ?? "",
    peer: encodePeer({ kind: "chat", id: Number(c.id) }),
  };
}

function _withUsername<T extends Chat>(chat: T, username: string | undefined): T {
  return username ? { ...chat, username } : chat;
}
