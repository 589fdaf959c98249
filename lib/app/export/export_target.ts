/** What one `tgpipe export` argument names: a chat, and maybe one forum topic of it. */
import { parseChatSpec } from "../../telegram/links.ts";

/** A parsed export argument; `chat` is what resolveChat takes. */
export interface ExportTarget {
  chat: string;
  topicId?: number;
}

const TOPIC_LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\/c\/(\d+)\/(\d+)\/?$/i;

/**
 * Parses `@name`, a t.me link, `t.me/c/<id>/<topic>` (a forum topic), a numeric id or `me`.
 *
 * @throws {RangeError} (exit 2) for anything else
 */
export function parseExportTarget(text: string): ExportTarget {
  const m = TOPIC_LINK.exec(text.trim());
  if (m) {
    const topicId = Number(m[2]);
    if (!Number.isSafeInteger(topicId) || topicId <= 0) {
      throw new RangeError(`Bad topic id in ${JSON.stringify(text)}`);
    }
    return { chat: `https://t.me/c/${m[1]}`, topicId };
  }
  parseChatSpec(text); // validates; resolution happens once connected
  return { chat: text.trim() };
}
