/** Telegram Desktop's message text (a string, or a list of strings and formatted parts) -> text and entities. */
import type { MessageEntity } from "../core/message.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Flattens Desktop's text (a string, or an array of strings and `{type, text, ...}` parts, or
 * `text_entities`) into text plus entities with UTF-16 offsets.
 */
export function parseTdesktopText(raw: unknown): { text: string; entities: MessageEntity[] } {
  if (typeof raw === "string") return { text: raw, entities: [] };
  if (!Array.isArray(raw)) return { text: "", entities: [] };
  let text = "";
  const entities: MessageEntity[] = [];
  for (const part of raw) {
    const s = typeof part === "string" ? part : String(part?.text ?? "");
    const offset = text.length;
    text += s;
    if (typeof part === "string" || s.length === 0) continue;
    const e = _entity(part, offset, s.length);
    if (e) entities.push(e);
  }
  return { text, entities };
}

function _entity(p: Json, offset: number, length: number): MessageEntity | undefined {
  const at = { offset, length };
  switch (p.type) {
    case "bold":
    case "italic":
    case "underline":
    case "strikethrough":
    case "spoiler":
    case "code":
    case "mention":
    case "hashtag":
    case "cashtag":
    case "bot_command":
    case "email":
    case "phone":
      return { ...at, type: p.type };
    case "link":
      return { ...at, type: "url" };
    case "pre":
      return p.language ? { ...at, type: "pre", language: String(p.language) } : { ...at, type: "pre" };
    case "text_link":
      return { ...at, type: "text_link", url: String(p.href ?? "") };
    case "mention_name":
      return { ...at, type: "mention_name", user_id: Number(p.user_id ?? 0) };
    case "blockquote":
      return p.collapsed ? { ...at, type: "blockquote", collapsed: true } : { ...at, type: "blockquote" };
    case "custom_emoji":
      return { ...at, type: "custom_emoji", document_id: String(p.document_id ?? "") };
    default:
      // plain, bank_card, unknown: no formatting.
      return undefined;
  }
}
