/** A Telegram Desktop export's service message fields -> the model's ServiceAction. */
import type { PeerRef, ServiceAction } from "../core/message.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * The action of a Desktop service message (`"type": "service"`), named as Desktop names it. Desktop
 * writes only some fields per action (export_output_json.cpp): topic_edit has `new_title` and
 * `new_icon_emoji_id` but never the closed/hidden flags; join_group_by_link names the inviter.
 *
 * @example
 * ```ts
 * readTdesktopService({ action: "topic_edit", new_title: "Roadmap" }); // { type: "topic_edit", title: "Roadmap" }
 * ```
 */
export function readTdesktopService(m: Json, actor?: PeerRef): ServiceAction {
  // a custom action has no action name, only its text
  const custom = m.action === undefined && typeof m.information_text === "string";
  const s: ServiceAction = { type: custom ? "custom_action" : String(m.action ?? "other"), actor };
  if (custom) s.text = m.information_text;
  const title = m.title ?? m.new_title;
  if (title !== undefined) s.title = String(title);
  if (Array.isArray(m.members)) s.members = m.members.map((x: unknown) => String(x ?? "?"));
  if (typeof m.message_id === "number") s.message_id = m.message_id;
  // phone_call writes duration_seconds, group_call duration, set_messages_ttl period
  const secs = m.duration_seconds ?? m.duration ?? m.period;
  if (typeof secs === "number") s.duration = secs;
  if (typeof m.inviter === "string") s.inviter = { name: m.inviter };
  // a bare 64-bit JSON number: JSON.parse rounds it, the same way for every reader of the export
  if (m.new_icon_emoji_id !== undefined && Number.isFinite(Number(m.new_icon_emoji_id))) {
    s.icon_emoji_id = BigInt(Math.trunc(Number(m.new_icon_emoji_id))).toString();
  }
  if (m.discard_reason !== undefined) s.data = { discard_reason: m.discard_reason };
  if (s.type === "edit_chat_theme") s.data = { emoticon: String(m.emoticon ?? "") };
  return s;
}
