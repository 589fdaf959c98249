/** The topics of a forum supergroup (channels.getForumTopics, paged). */
import { Api } from "telegram";
import type { Topic } from "../core/message.ts";
import type { TgClient } from "./client.ts";
import type { ChatRef } from "./media_messages.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";
import { withTakeout } from "./takeout.ts";

/** Lists every topic of a forum, oldest first. */
export async function listForumTopics(
  client: TgClient,
  chat: ChatRef,
  opts: { takeoutId?: string; signal?: AbortSignal } = {},
): Promise<Topic[]> {
  const channel = inputPeerOf(decodePeer(chat.peer)) as Api.InputPeerChannel;
  const input = new Api.InputChannel({ channelId: channel.channelId, accessHash: channel.accessHash });
  const out = new Map<number, Topic>();
  let offsetTopic = 0, offsetId = 0, offsetDate = 0;
  for (let round = 0; round < 1000; round++) {
    opts.signal?.throwIfAborted();
    const res = await client.call<Api.messages.ForumTopics>(
      withTakeout(
        new Api.channels.GetForumTopics({ channel: input, offsetDate, offsetId, offsetTopic, limit: 100 }),
        opts.takeoutId,
      ),
    );
    const page = res.topics.filter((t): t is Api.ForumTopic => t instanceof Api.ForumTopic);
    for (const t of page) {
      const topic: Topic = { id: t.id, title: t.title };
      if (t.closed) topic.closed = true;
      out.set(t.id, topic);
    }
    if (page.length === 0 || out.size >= res.count || res.topics.length < 100) break;
    const last = page.at(-1)!;
    offsetTopic = last.id;
    offsetId = last.topMessage;
    offsetDate = last.date;
  }
  return [...out.values()].sort((a, b) => a.id - b.id);
}
