/** Telegram Desktop export text (`text_entities`, or the older mixed `text` array) -> text + entities. */
import type { WEntity } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const TYPES: Record<string, WEntity["type"] | null> = {
  plain: null,
  bold: "bold",
  italic: "italic",
  underline: "underline",
  strikethrough: "strikethrough",
  spoiler: "spoiler",
  code: "code",
  pre: "pre",
  link: "link",
  text_link: "text_link",
  mention: "mention",
  mention_name: "mention_name",
  hashtag: "hashtag",
  cashtag: "cashtag",
  bot_command: "bot_command",
  email: "email",
  phone: "phone",
  blockquote: "blockquote",
  custom_emoji: "custom_emoji",
  bank_card: "bank_card",
};

/**
 * Concatenate the pieces; each non-plain piece becomes an entity whose offset and length are
 * UTF-16 code units (JS string lengths), exactly as Telegram counts.
 */
export function parseExportText(msg: Json): { text: string; entities: WEntity[] } {
  const pieces: Json[] = Array.isArray(msg.text_entities)
    ? msg.text_entities
    : Array.isArray(msg.text)
    ? msg.text.map((p: Json) => (typeof p === "string" ? { type: "plain", text: p } : p))
    : [{ type: "plain", text: String(msg.text ?? "") }];
  let text = "";
  const entities: WEntity[] = [];
  for (const p of pieces) {
    const s = String(p.text ?? "");
    const type = p.type in TYPES ? TYPES[p.type] : "unknown";
    if (type && s.length > 0) {
      const e: WEntity = { type, offset: text.length, length: s.length };
      if (type === "pre") e.language = String(p.language ?? "");
      if (type === "text_link") e.url = String(p.href ?? "");
      if (type === "mention_name") e.userId = BigInt(p.user_id ?? 0);
      if (type === "custom_emoji") e.documentId = _docId(p.document_id);
      if (type === "blockquote" && p.collapsed) e.collapsed = true;
      entities.push(e);
    }
    text += s;
  }
  return { text, entities };
}

function _docId(v: unknown): bigint {
  // Exports write either the numeric id or a sticker file path; only digits map to an id.
  const s = String(v ?? "");
  return /^\d+$/.test(s) ? BigInt(s) : 0n;
}
