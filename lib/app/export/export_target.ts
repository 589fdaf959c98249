/** What one `tgpipe export` argument names: a chat, maybe one forum topic, maybe some messages. */
import { type ChatSpec, parseChatSpec, parseMessageLink } from "../../telegram/links.ts";

/** A parsed export argument; `chat` is what resolveChat takes. */
export interface ExportTarget {
  chat: string;
  topicId?: number;
  /** The messages a link names (inclusive ids): only they are exported. */
  messages?: { from: number; to: number };
  /**
   * `t.me/c/<id>/<n>` means topic n of a forum and message n of any other chat: which one is
   * known once the chat is resolved.
   */
  topicOrMessage?: number;
}

const LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/|^tg:\/\//i;

/**
 * Parses `@name`, a chat link, a message link (`t.me/name/101`, a range `t.me/name/100-200`,
 * `t.me/c/<id>/<topic>/<msg>`), `t.me/c/<id>/<n>` (a forum topic, or a message), a numeric id
 * or `me`.
 *
 * @throws {RangeError} (exit 2) for anything else, e.g. `t.me/name/abc`
 */
export function parseExportTarget(text: string): ExportTarget {
  const t = text.trim();
  if (LINK.test(t) && (/\/\d[\d-]*\/?$/.test(t) || /[?&]post=/.test(t))) {
    const link = parseMessageLink(t);
    const chat = _chatRef(link.chat);
    const single = /^(?:https?:\/\/)?(?:www\.)?[^/]+\/c\/\d+\/\d+\/?$/i.test(t);
    if (single) return { chat, topicOrMessage: link.from };
    const messages = { from: link.from, to: link.to };
    return link.topicId !== undefined ? { chat, topicId: link.topicId, messages } : { chat, messages };
  }
  parseChatSpec(t); // validates; resolution happens once connected
  return { chat: t };
}

function _chatRef(spec: ChatSpec): string {
  if (spec.type === "username") return `@${spec.username}`;
  if (spec.type === "id") return `https://t.me/c/${spec.id}`;
  return "me";
}
