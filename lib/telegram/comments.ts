/**
 * Comments of a channel post: messages.getReplies on the channel returns the thread in the linked
 * discussion group. Each comment is mapped as a message of that group with `comment_of` set.
 */
import { Api } from "telegram";
import type { TgClient } from "./client.ts";
import { fetchHistoryPage, type MappedMessage } from "./history_page.ts";
import { mapEntity } from "./map_peer.ts";
import type { ChatRef } from "./media_messages.ts";
import { withTakeout } from "./takeout.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";
import bigInt from "big-integer";

/** The discussion group of a channel (from its posts' reply info), or undefined without one. */
export async function discussionGroup(
  client: TgClient,
  channel: ChatRef,
  opts: { postId: number; takeoutId?: string },
): Promise<ChatRef | undefined> {
  const res = await client.call<Api.messages.TypeMessages>(withTakeout(
    new Api.messages.GetReplies({
      peer: inputPeerOf(decodePeer(channel.peer)),
      msgId: opts.postId,
      offsetId: 0,
      offsetDate: 0,
      addOffset: 0,
      limit: 1,
      maxId: 0,
      minId: 0,
      hash: bigInt(0),
    }),
    opts.takeoutId,
  ));
  if (!("chats" in res)) return undefined;
  const group = res.chats.find((c) => c instanceof Api.Channel && c.megagroup && Number(c.id) !== channel.id);
  return group ? mapEntity(group) : undefined;
}

/** Every comment on one post, ascending, mapped as messages of `group`. */
export async function fetchComments(
  client: TgClient,
  channel: ChatRef,
  opts: { postId: number; group: ChatRef; takeoutId?: string; signal?: AbortSignal },
): Promise<MappedMessage[]> {
  // getReplies is addressed to the channel but answers with the group's messages
  const thread: ChatRef = { ...opts.group, peer: channel.peer };
  const out: MappedMessage[] = [];
  let after = 0;
  while (true) {
    opts.signal?.throwIfAborted();
    const page = await fetchHistoryPage(client, thread, {
      after,
      replyTo: opts.postId,
      takeoutId: opts.takeoutId,
    });
    for (const m of page.messages) {
      const f = m.message.forward;
      // the thread root is the channel post's automatic copy, not a comment
      if (f?.from_id === channel.id && f.channel_post === opts.postId) continue;
      m.message.comment_of = { chat_id: channel.id, post_id: opts.postId };
      if (m.file) m.file = { ...m.file, chatPeer: opts.group.peer };
      out.push(m);
    }
    if (!page.more || page.last <= after) break;
    after = page.last;
  }
  return out;
}
