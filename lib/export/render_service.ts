/** The italic line a service message renders as ("⚙️ Ann changed the topic title to «Roadmap»"). */
import type { Message, PeerRef, ServiceAction } from "../core/message.ts";
import { escapeMarkdown } from "./escape_markdown.ts";

/**
 * Renders a service action as one readable line; a new chat photo is the message's media and is
 * embedded below it like any photo.
 *
 * @example
 * ```ts
 * renderServiceLine({ type: "topic_edit", closed: true }, msg, (id) => undefined); // "*⚙️ Ann closed the topic*"
 * ```
 */
export function renderServiceLine(
  a: ServiceAction,
  m: Message,
  linkOf: (messageId: number) => string | undefined,
): string {
  const actor = _name(a.actor ?? m.author);
  const e = (s: string) => escapeMarkdown(s, { atLineStart: false });
  const title = a.title !== undefined ? ` «${e(a.title)}»` : "";
  const members = a.members && a.members.length > 0 ? ` ${a.members.map(e).join(", ")}` : "";
  const secs = a.duration !== undefined ? ` (${a.duration}s)` : "";
  let what: string;
  switch (a.type) {
    case "create_channel":
      what = `created the channel${title}`;
      break;
    case "create_group":
      what = `created the group${title}${members ? ` with${members}` : ""}`;
      break;
    case "edit_group_title":
      what = `changed the title to${title}`;
      break;
    case "edit_group_photo":
      what = "changed the group photo";
      break;
    case "suggest_profile_photo":
      what = "suggested a profile photo";
      break;
    case "delete_group_photo":
      what = "removed the group photo";
      break;
    case "invite_members":
      what = `added${members}`;
      break;
    case "remove_members":
      what = `removed${members}`;
      break;
    case "join_group_by_link":
      what = `joined by invite link${a.inviter ? ` from ${e(_name(a.inviter))}` : ""}`;
      break;
    case "join_group_by_request":
      what = "joined after their request was approved";
      break;
    case "migrate_to_supergroup":
      what = "converted the group to a supergroup";
      break;
    case "migrate_from_group":
      what = `converted the group${title} to this supergroup`;
      break;
    case "pin_message": {
      const link = a.message_id !== undefined ? linkOf(a.message_id) : undefined;
      what = link ? `pinned [[${link}|message ${a.message_id}]]` : `pinned message ${a.message_id ?? "?"}`;
      break;
    }
    case "clear_history":
      what = "cleared the history";
      break;
    case "phone_call": {
      const reason = a.data?.discard_reason;
      what = `called${secs}${reason === "missed" || reason === "busy" ? ` (${reason})` : ""}`;
      break;
    }
    case "joined_telegram":
      what = "joined Telegram";
      break;
    case "edit_chat_theme": {
      const emoji = typeof a.data?.emoticon === "string" ? a.data.emoticon : "";
      what = emoji ? `changed the chat theme to ${e(emoji)}` : "turned off the chat theme";
      break;
    }
    case "invite_to_group_call":
      what = `invited${members} to the video chat`;
      break;
    case "custom_action":
      // Telegram's own sentence, actor included
      return `*⚙️ ${e(a.text ?? "")}*`;
    case "group_call":
      what = `started a video chat${secs}`;
      break;
    case "take_screenshot":
      what = "took a screenshot";
      break;
    case "set_messages_ttl":
      what = a.duration ? `set messages to auto-delete after ${a.duration}s` : "turned off auto-delete";
      break;
    case "topic_created":
      what = `created the topic${title}`;
      break;
    case "topic_edit":
      what = _topicEdit(a, title);
      break;
    default:
      what = `${e(a.type.replace(/_/g, " "))}${title}${members}`;
  }
  return `*⚙️ ${e(actor)} ${what}*`;
}

/** Every change of one topic_edit, in Telegram's words; none known (a Desktop export) says "edited". */
function _topicEdit(a: ServiceAction, title: string): string {
  const parts: string[] = [];
  if (title) parts.push(`changed the topic title to${title}`);
  if (a.icon_emoji_id !== undefined) {
    parts.push(a.icon_emoji_id === "0" ? "removed the topic icon" : "changed the topic icon");
  }
  if (a.closed !== undefined) parts.push(a.closed ? "closed the topic" : "reopened the topic");
  if (a.hidden !== undefined) parts.push(a.hidden ? "hid the topic" : "unhid the topic");
  return parts.length > 0 ? parts.join(" and ") : "edited the topic";
}

function _name(p: PeerRef | undefined): string {
  return p?.name ??
    (p?.username ? `@${p.username}` : p?.id !== undefined ? `${p.kind ?? "user"} ${p.id}` : "Someone");
}
