/** Turns what a user typed (@name, t.me link, id, `me`) into a chat; NotFoundError when none. */
import { Api } from "telegram";
import type { ChatSummary } from "../core/account.ts";
import type { Chat } from "../core/message.ts";
import { NotFoundError, TelegramError, UsageError } from "../core/errors.ts";
import type { TgClient } from "./client.ts";
import { parseChatSpec } from "./links.ts";
import { listDialogs } from "./list_dialogs.ts";
import { mapEntity } from "./map_peer.ts";
import { encodePeer } from "./peer_ref.ts";

/** A resolved chat: the Chat model plus the peer locator later calls use. */
export type ResolvedChat = Chat & { peer: string };

const UNKNOWN = new Set([
  "USERNAME_NOT_OCCUPIED",
  "USERNAME_INVALID",
  "CHANNEL_INVALID",
  "CHANNEL_PRIVATE",
  "PEER_ID_INVALID",
]);

/**
 * Resolves `@username`, `t.me/<name>`, `t.me/c/<id>/...`, a numeric id (also -100...) or `me`.
 * Ids are looked up in the account's dialogs (Telegram needs an access hash to address them).
 * `me` of a bot is a UsageError (data.bot_saved): a bot has no Saved Messages.
 */
export async function resolveChat(
  client: TgClient,
  ref: string,
  opts: { signal?: AbortSignal } = {},
): Promise<ResolvedChat> {
  const spec = parseChatSpec(ref);
  if (spec.type === "me") {
    const users = await client.call<Api.TypeUser[]>(
      new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
    );
    const u = users[0] as Api.User;
    if (u.bot) {
      throw new UsageError("A bot has no Saved Messages: give --to a chat the bot may post in", {
        bot_saved: true,
      });
    }
    return {
      id: Number(u.id),
      kind: "saved",
      title: "Saved Messages",
      // Telegram checks the access hash of every InputPeerUser, Saved Messages' own too
      peer: encodePeer({ kind: "user", id: Number(u.id), accessHash: u.accessHash?.toString() }),
    };
  }
  if (spec.type === "username") {
    let res: Api.contacts.ResolvedPeer;
    try {
      res = await client.call<Api.contacts.ResolvedPeer>(
        new Api.contacts.ResolveUsername({ username: spec.username }),
      );
    } catch (err) {
      if (err instanceof TelegramError && UNKNOWN.has(err.rpcMessage)) throw _notFound(ref);
      throw err;
    }
    const want = res.peer;
    const entity = want instanceof Api.PeerUser
      ? res.users.find((u) => u.id.equals(want.userId))
      : res.chats.find((c) =>
        c.id.equals(want instanceof Api.PeerChat ? want.chatId : (want as Api.PeerChannel).channelId)
      );
    if (!entity) throw _notFound(ref);
    return mapEntity(entity);
  }
  const dialogs: ChatSummary[] = await listDialogs(client, { counts: false, signal: opts.signal });
  const hit = dialogs.find((d) => d.id === spec.id && _kindMatches(d.peer, spec.peer));
  if (!hit) throw _notFound(ref);
  const { message_count: _m, unread_count: _u, ...chat } = hit;
  return chat;
}

function _kindMatches(peer: string, want: "channel" | "chat" | undefined): boolean {
  return want === undefined || peer.startsWith(`${want}:`);
}

function _notFound(ref: string): NotFoundError {
  return new NotFoundError(`Chat not found: ${ref}`, "chat");
}
