/** Forum topics of a Telegram Desktop export, which has no topic fields of its own. */
import type { Chat, Message } from "../core/message.ts";

/**
 * Desktop exports write a forum as a supergroup: each topic_created service message opens a topic,
 * and a message in a topic replies to its root or to another message of the topic. Such a chat
 * becomes a `forum` with `topics`; its topic messages get `topic_id`, and a reply that only names
 * the root is membership, not a reply (as the API reports it). `messages` is ascending by id.
 */
export function inferForumTopics(chat: Chat, messages: Message[]): void {
  const roots = messages.filter((m) => m.service?.type === "topic_created");
  if (roots.length === 0) return;
  chat.kind = "forum";
  chat.topics = roots.map((m) => ({ id: m.id, title: m.service?.title ?? "" }));
  const rootIds = new Set(roots.map((m) => m.id));
  const topicOf = new Map<number, number>(roots.map((m) => [m.id, m.id]));
  for (const m of messages) {
    const target = m.reply_to?.chat_id === undefined ? m.reply_to?.message_id : undefined;
    const topic = target !== undefined ? topicOf.get(target) : undefined;
    if (topic === undefined || rootIds.has(m.id)) continue;
    topicOf.set(m.id, topic);
    m.topic_id = topic;
    if (target === topic) delete m.reply_to;
    else m.reply_to = { ...m.reply_to, topic_id: topic };
  }
}
