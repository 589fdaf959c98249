import type { Chat, Message } from "../core/message.ts";
import { sanitizeName } from "../core/safe_name.ts";
import { mediaExt } from "../core/media_ext.ts";

/** One note per message (albums grouped) or one note per day. */
export type NoteLayout = "message" | "day";

/**
 * The stable folder layout of an export, relative to --out (docs/export-format.md):
 * `chats/<chat id>/` holds index.md, chat.json, messages.jsonl and media/; notes live in
 * `notes/<id>.md` or `days/<YYYY-MM-DD>.md`, under `topics/<topic id>/` for forum topics.
 * Everything derives from ids and UTC dates, never from titles, so renames keep paths stable.
 */
export class ExportLayout {
  readonly chatDir: string;
  constructor(readonly chat: Chat, readonly layout: NoteLayout) {
    if (!Number.isSafeInteger(chat.id)) throw new RangeError(`Bad chat id: ${chat.id}`);
    this.chatDir = `chats/${chat.id}`;
  }

  /** Folder of the notes of a message: the chat folder, or its topic folder in forums. */
  noteDir(msg: Pick<Message, "topic_id">): string {
    return this.chat.kind === "forum" && msg.topic_id !== undefined
      ? `${this.chatDir}/topics/${Math.trunc(msg.topic_id)}`
      : this.chatDir;
  }

  /** Path of the note holding `msg` (without ".md", as wikilinks want it). */
  noteOf(msg: Pick<Message, "id" | "date" | "topic_id">, albumFirstId?: number): string {
    return this.layout === "day"
      ? `${this.noteDir(msg)}/days/${utcDay(msg.date)}`
      : `${this.noteDir(msg)}/notes/${Math.trunc(albumFirstId ?? msg.id)}`;
  }

  /** Stable, sanitised file name of a message's media: `<message id>-<original or kind name>`. */
  mediaName(msg: Pick<Message, "id" | "media">): string {
    const m = msg.media;
    if (!m) throw new RangeError(`Message ${msg.id} has no media`);
    // `ref` is opaque (a Telegram locator or an export path): only `file_name` names the file.
    const ext = `.${mediaExt(m.kind, m.mime_type)}`;
    const base = m.file_name ? sanitizeName(m.file_name, { fallback: `${m.kind}${ext}` }) : `${m.kind}${ext}`;
    // [ ] # ^ | would end or redirect an Obsidian ![[embed]].
    return sanitizeName(`${Math.trunc(msg.id)}-${base}`.replace(/[[\]#^|]/g, "_"), { maxBytes: 120 });
  }

  /** Path of a message's media file. */
  mediaPath(msg: Pick<Message, "id" | "media">): string {
    return `${this.chatDir}/media/${this.mediaName(msg)}`;
  }
}

/**
 * The note listing the comments on channel post `postId`, in its discussion group's folder
 * (without ".md"): `chats/<group id>/comments/<post id>`.
 */
export function commentsNote(groupId: number, postId: number): string {
  return `chats/${Math.trunc(groupId)}/comments/${Math.trunc(postId)}`;
}

// the last day utcDay rendered (day number since the epoch) and its text
let _lastDay = NaN;
let _lastDayText = "";

/** The UTC day of a unix time, as YYYY-MM-DD. */
export function utcDay(unix: number): string {
  // consecutive messages mostly share a day: one Date per day, not per message
  const day = Math.floor(unix / 86400);
  if (day !== _lastDay) {
    _lastDay = day;
    _lastDayText = new Date(unix * 1000).toISOString().slice(0, 10);
  }
  return _lastDayText;
}
