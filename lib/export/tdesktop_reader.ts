/**
 * Reads Telegram Desktop JSON exports into tgpipe's message model: a single-chat result.json,
 * a whole-account result.json (chats.list and left_chats.list), and the tgif layout (folders
 * of exported.json + metadata.json slices of one chat, some in the older format without
 * date_unixtime/text_entities). Slices of the same chat are merged by message id.
 * Media `ref`s are paths relative to the directory given, with "/" separators.
 */
import { dirname, join, relative } from "node:path";
import { UsageError } from "../core/errors.ts";
import type { Chat, ChatKind, Media, MediaKind, Message, PeerRef } from "../core/message.ts";
import { readTdesktopService } from "./tdesktop_service.ts";
import { inferForumTopics } from "./tdesktop_forum.ts";
import { parseTdesktopText } from "./tdesktop_text.ts";
import { checkTdesktopMessage, damageWarning, type TdesktopWarning } from "./tdesktop_check.ts";

export { parseTdesktopText };
export type { TdesktopWarning };

/** One chat found in an export. */
export interface TdesktopChat {
  chat: Chat;
  /** Ascending by id, without duplicates. */
  messages: Message[];
  /** The account left this chat (whole-account exports list these apart). */
  left: boolean;
}

/** What {@link readTdesktopExport} found. */
export interface TdesktopExport {
  format: "single" | "account" | "tgif";
  /** The JSON files read, relative to the directory. */
  files: string[];
  chats: TdesktopChat[];
  /** Messages (or chats) that were damaged: left out, or kept without their bad fields. */
  warnings: TdesktopWarning[];
}

// deno-lint-ignore no-explicit-any
type Json = any;

const KINDS: Record<string, ChatKind> = {
  personal_chat: "user",
  bot_chat: "bot",
  saved_messages: "saved",
  private_group: "group",
  private_supergroup: "supergroup",
  public_supergroup: "supergroup",
  private_channel: "channel",
  public_channel: "channel",
};
const MEDIA_TYPES: Record<string, MediaKind> = {
  sticker: "sticker",
  animation: "animation",
  video_file: "video",
  video_message: "round",
  voice_message: "voice",
  audio_file: "audio",
};
const NOT_INCLUDED = /^\(File .*not included/i;

/**
 * Reads every Telegram Desktop export in `dir` (searched two levels deep).
 *
 * @throws {UsageError} when `dir` is missing, not a directory, or holds no export
 * @example
 * ```ts
 * const { chats } = await readTdesktopExport("./ChatExport_2024-01-01");
 * ```
 */
export async function readTdesktopExport(
  dir: string,
  opts: { signal?: AbortSignal } = {},
): Promise<TdesktopExport> {
  const st = await Deno.stat(dir).catch(() => undefined);
  if (!st) throw new UsageError(`Export directory not found: ${dir}`, { path: dir });
  if (!st.isDirectory) throw new UsageError(`Not a directory: ${dir}`, { path: dir });
  const files = await _findExports(dir, 2);
  if (files.length === 0) {
    throw new UsageError(`Not a Telegram Desktop export (no result.json or exported.json): ${dir}`, {
      path: dir,
    });
  }
  const byId = new Map<number, TdesktopChat>();
  const warnings: TdesktopWarning[] = [];
  let format: TdesktopExport["format"] = "single";
  for (const file of files) {
    opts.signal?.throwIfAborted();
    let j: Json;
    try {
      j = JSON.parse(await Deno.readTextFile(file));
    } catch (err) {
      throw new UsageError(`Not a valid export file: ${file}: ${err instanceof Error ? err.message : err}`, {
        path: file,
      });
    }
    const base = relative(dir, dirname(file));
    if (file.endsWith("exported.json")) format = "tgif";
    const self = j.personal_information?.user_id;
    if (Array.isArray(j.chats?.list) || Array.isArray(j.left_chats?.list)) {
      format = "account";
      const where = _slash(relative(dir, file));
      for (const [list, left] of [["chats", false], ["left_chats", true]] as const) {
        const entries: unknown[] = Array.isArray(j[list]?.list) ? j[list].list : [];
        for (const [i, c] of entries.entries()) {
          _merge(byId, _chat(c, { base, left, self, warnings, entry: `${where}: ${list}.list[${i}]` }));
        }
      }
    } else if (Array.isArray(j.messages)) _merge(byId, _chat(j, { base, left: false, self, warnings }));
    else {throw new UsageError(`Not a Telegram Desktop export file (no messages or chats): ${file}`, {
        path: file,
      });}
  }
  const chats = [...byId.values()];
  for (const c of chats) {
    const seen = new Map<number, Message>();
    for (const m of c.messages) seen.set(m.id, m);
    c.messages = [...seen.values()].sort((a, b) => a.id - b.id);
    _inferAlbums(c.messages);
    inferForumTopics(c.chat, c.messages);
  }
  return { format, files: files.map((f) => _slash(relative(dir, f))), chats, warnings };
}

async function _findExports(dir: string, depth: number): Promise<string[]> {
  const found: string[] = [];
  const subdirs: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && (e.name === "result.json" || e.name === "exported.json")) found.push(join(dir, e.name));
    else if (e.isDirectory) subdirs.push(join(dir, e.name));
  }
  if (found.length > 0 || depth === 0) return found;
  const nested = await Promise.all(subdirs.sort().map((d) => _findExports(d, depth - 1)));
  return nested.flat();
}

/**
 * Desktop exports drop grouped_id; an album shows as consecutive photo/video messages from the
 * same sender in the same second. Those get a synthetic `grouped_id` ("tdesktop:<first id>").
 */
function _inferAlbums(messages: Message[]): void {
  const albumable = (m: Message) => m.media?.kind === "photo" || m.media?.kind === "video";
  for (let i = 0; i < messages.length;) {
    let j = i + 1;
    const a = messages[i];
    while (
      albumable(a) && j < messages.length && albumable(messages[j]) &&
      messages[j].id === messages[j - 1].id + 1 &&
      messages[j].date === a.date && messages[j].author?.id === a.author?.id && j - i < 10
    ) j++;
    if (j - i > 1) { for (let k = i; k < j; k++) messages[k].grouped_id = `tdesktop:${a.id}`; }
    i = j;
  }
}

function _merge(byId: Map<number, TdesktopChat>, c: TdesktopChat | undefined): void {
  if (!c) return;
  const prev = byId.get(c.chat.id);
  if (prev) prev.messages.push(...c.messages);
  else byId.set(c.chat.id, c);
}

function _chat(
  j: Json,
  c: {
    base: string;
    left: boolean;
    self: unknown;
    warnings: TdesktopWarning[];
    /** Where a chat of a whole-account export is listed; a single-chat file has no entry. */
    entry?: string;
  },
): TdesktopChat | undefined {
  // one damaged chat of many is left out with a warning; a single-chat file that is damaged is bad input
  const leaveOut = (field: string, why: string, chat_id?: number) => {
    if (c.entry === undefined) throw new UsageError(`Bad chat in export: ${why}`);
    c.warnings.push({
      code: "BAD_CHAT",
      chat_id,
      entry: c.entry,
      fields: [field],
      skipped: true,
      message: `Chat ${c.entry} left out: ${why}`,
    });
    return undefined;
  };
  if (typeof j !== "object" || j === null || Array.isArray(j)) return leaveOut("chat", "it is not an object");
  const kind = (typeof j.type === "string" && Object.hasOwn(KINDS, j.type) ? KINDS[j.type] : undefined) ??
    "supergroup";
  const self = c.self;
  const rawId = j.id ?? (kind === "saved" ? self : undefined) ?? 0;
  const id = Number(rawId);
  if (!Number.isSafeInteger(id) || (typeof rawId !== "number" && typeof rawId !== "string")) {
    return leaveOut("id", `its id is not a number: ${String(JSON.stringify(rawId)).slice(0, 40)}`);
  }
  const chat: Chat = {
    id,
    kind,
    title: typeof j.name === "string" ? j.name : (kind === "saved" ? "Saved Messages" : `Chat ${id}`),
  };
  const messages: Message[] = [];
  const raw = j.messages ?? [];
  if (!Array.isArray(raw)) return leaveOut("messages", `its messages (chat ${id}) are not a list`, id);
  for (const [i, m] of raw.entries()) {
    const check = checkTdesktopMessage(m);
    if (check.message) messages.push(_message(check.message, id, c.base));
    if (check.problems.length > 0) c.warnings.push(damageWarning(check, { chat, raw: m, index: i }));
  }
  return { chat, messages, left: c.left };
}

function _message(m: Json, chatId: number, base: string): Message {
  const { text, entities } = parseTdesktopText(m.text_entities ?? m.text);
  const msg: Message = {
    id: m.id,
    chat_id: chatId,
    date: _time(m.date_unixtime, m.date) ?? 0,
    text,
    entities,
  };
  const edit = _time(m.edited_unixtime, m.edited);
  if (edit !== undefined) msg.edit_date = edit;
  const author = _peer(m.from, m.from_id);
  if (author && m.type !== "service") msg.author = author;
  if (m.author) msg.post_author = String(m.author);
  if (typeof m.reply_to_message_id === "number") {
    msg.reply_to = { message_id: m.reply_to_message_id };
    const peer = _peer(undefined, m.reply_to_peer_id);
    if (peer?.id !== undefined && peer.id !== chatId) msg.reply_to.chat_id = peer.id;
  }
  if (m.forwarded_from !== undefined || m.forwarded_from_id !== undefined || m.saved_from !== undefined) {
    const from = _peer(m.forwarded_from ?? m.saved_from ?? undefined, m.forwarded_from_id);
    msg.forward = { from_name: from?.name, from_id: from?.id, from_kind: from?.kind };
  }
  if (m.via_bot) msg.via_bot = { username: String(m.via_bot).replace(/^@/, "") };
  if (m.type === "service") msg.service = readTdesktopService(m, _peer(m.actor, m.actor_id));
  const media = _media(m, base);
  if (media) msg.media = media;
  if (m.poll) {
    msg.poll = {
      question: String(m.poll.question ?? ""),
      closed: m.poll.closed === true,
      total_voters: m.poll.total_voters,
      answers: (m.poll.answers ?? []).map((a: Json) => ({
        text: String(a.text ?? ""),
        voters: a.voters,
        chosen: a.chosen,
      })),
    };
  }
  if (m.location_information) {
    const l = m.location_information;
    msg.location = { latitude: Number(l.latitude), longitude: Number(l.longitude) };
    if (m.live_location_period_seconds) msg.location.live_period = m.live_location_period_seconds;
    if (m.place_name) msg.location.venue = { title: String(m.place_name), address: m.address };
  }
  if (m.contact_information) {
    const c = m.contact_information;
    msg.contact = {
      first_name: c.first_name || undefined,
      last_name: c.last_name || undefined,
      phone: c.phone_number,
    };
  }
  if (Array.isArray(m.reactions)) {
    msg.reactions = m.reactions.map((r: Json) => ({
      emoji: r.emoji,
      custom_emoji_id: r.document_id === undefined ? undefined : String(r.document_id),
      paid: r.type === "paid" || undefined,
      count: Number(r.count ?? 0),
    }));
  }
  return msg;
}

function _media(m: Json, base: string): Media | undefined {
  const ref = (
    p: unknown,
  ) => (typeof p === "string" && p.length > 0 && !NOT_INCLUDED.test(p) ? _slash(join(base, p)) : undefined);
  let media: Media | undefined;
  if (m.photo !== undefined) {
    media = { kind: "photo", ref: ref(m.photo), size: m.photo_file_size };
    if (media.ref) media.file_name = media.ref.split("/").at(-1);
  } else if (m.file !== undefined || m.media_type !== undefined) {
    const type = typeof m.media_type === "string" && Object.hasOwn(MEDIA_TYPES, m.media_type)
      ? m.media_type
      : "";
    media = { kind: MEDIA_TYPES[type] ?? "document", ref: ref(m.file), thumb_ref: ref(m.thumbnail) };
    if (m.file_name) media.file_name = String(m.file_name);
    else if (media.ref) media.file_name = media.ref.split("/").at(-1);
    if (m.mime_type) media.mime_type = String(m.mime_type);
    if (typeof m.file_size === "number") media.size = m.file_size;
    if (typeof m.duration_seconds === "number") media.duration = m.duration_seconds;
    if (m.sticker_emoji) media.emoji = String(m.sticker_emoji);
    if (m.performer) media.performer = String(m.performer);
    if (m.title) media.title = String(m.title);
  }
  if (!media) return undefined;
  if (media.ref === undefined) delete media.ref;
  if (media.thumb_ref === undefined) delete media.thumb_ref;
  if (media.size === undefined) delete media.size;
  if (typeof m.width === "number") media.width = m.width;
  if (typeof m.height === "number") media.height = m.height;
  if (m.media_spoiler === true) media.spoiler = true;
  return media;
}

function _peer(name: unknown, id: unknown): PeerRef | undefined {
  const ref: PeerRef = {};
  if (typeof name === "string") ref.name = name;
  const m = typeof id === "string" ? /^(user|channel|chat)(\d+)$/.exec(id) : undefined;
  if (m) {
    ref.kind = m[1] as PeerRef["kind"];
    ref.id = Number(m[2]);
  } else if (typeof id === "number") ref.id = id;
  return Object.keys(ref).length > 0 ? ref : undefined;
}

function _time(unix: unknown, iso: unknown): number | undefined {
  if (unix !== undefined && unix !== null && Number.isFinite(Number(unix))) return Number(unix);
  // Older exports only have local wall-clock time without a zone; it is read as UTC.
  if (typeof iso === "string") {
    const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
    if (Number.isFinite(t)) return Math.floor(t / 1000);
  }
  return undefined;
}

function _slash(p: string): string {
  return p.replaceAll("\\", "/");
}
