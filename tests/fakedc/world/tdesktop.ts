/**
 * Loads Telegram Desktop exports: a single-chat result.json, a whole-account result.json
 * (chats.list / left_chats.list / personal_information), or the tgif layout (one
 * exported.json per folder, slices of the same chat merged by id). A directory is searched
 * three levels deep, so a folder holding several exports loads them all.
 */
import { dirname, join } from "node:path";
import type { ChatKind, WAction, WChat, WMessage, World, WPeer } from "./types.ts";
import { WorldBuilder } from "./builder.ts";
import { parseExportText } from "./tdesktop_text.ts";
import { ExportMedia } from "./tdesktop_media.ts";
import { hash63 } from "./rand.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const KINDS: Record<string, ChatKind> = {
  personal_chat: "private",
  bot_chat: "private",
  saved_messages: "private",
  private_group: "group",
  private_supergroup: "supergroup",
  public_supergroup: "supergroup",
  private_channel: "channel",
  public_channel: "channel",
};

/** Build a World from every export found under `dir`. */
export async function loadTdesktop(dir: string, opts: { seed: number; fileDcs?: number[] }): Promise<World> {
  const files = await _findExports(dir, 3);
  if (files.length === 0) throw new RangeError(`No result.json or exported.json under ${dir}`);
  const docs = await Promise.all(files.map(async (f) => ({ f, j: JSON.parse(await Deno.readTextFile(f)) })));
  const personal = docs.find((d) => d.j.personal_information)?.j.personal_information;
  const selfUserId = personal?.user_id ? BigInt(personal.user_id) : undefined;
  const b = new WorldBuilder(opts.seed, { selfUserId, fileDcs: opts.fileDcs });
  if (personal && selfUserId) {
    b.world.users.get(selfUserId)!.username ??= personal.username?.replace(/^@/, "") || undefined;
  }
  for (const { f, j } of docs) {
    const media = new ExportMedia(b, dirname(f));
    if (j.chats?.list || j.left_chats?.list) {
      for (const c of j.chats?.list ?? []) _loadChat(b, media, c, true);
      for (const c of j.left_chats?.list ?? []) _loadChat(b, media, c, false);
    } else if (Array.isArray(j.messages)) _loadChat(b, media, j, true);
  }
  return b.finish();
}

async function _findExports(dir: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  const subdirs: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && (e.name === "result.json" || e.name === "exported.json")) out.push(join(dir, e.name));
    else if (e.isDirectory) subdirs.push(join(dir, e.name));
  }
  if (out.length > 0 || depth === 0) return out;
  const nested = await Promise.all(subdirs.sort().map((d) => _findExports(d, depth - 1)));
  return nested.flat();
}

function _loadChat(b: WorldBuilder, media: ExportMedia, j: Json, member: boolean): void {
  const kind = KINDS[j.type] ?? "supergroup";
  const self = b.world.selfUserId;
  const id = j.type === "saved_messages" ? self : BigInt(j.id ?? hash63(b.world.seed, j.name));
  const title = String(j.name ?? "Saved Messages");
  if (kind === "private" && id !== self) b.user(id, title, { bot: j.type === "bot_chat" || undefined });
  const chat = b.chat(kind, id, title, { selfMember: member });
  if (j.type?.startsWith("public_") && !chat.username) chat.username = _slug(b, title, id);
  for (const m of j.messages ?? []) {
    const msg = _message(b, media, chat, m);
    if (msg) chat.messages.push(msg);
  }
  _forumTopics(chat);
  _afterActions(chat);
}

/**
 * What service messages leave behind: the chat photo (the last edit_group_photo unless deleted
 * since) and pinned messages (exports record pins, never unpins, so every pinned one stays pinned).
 */
function _afterActions(chat: WChat): void {
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  for (const m of [...chat.messages].sort((x, y) => x.id - y.id)) {
    if (m.action?.type === "edit_group_photo" && m.action.photo) chat.photo = m.action.photo;
    else if (m.action?.type === "delete_group_photo") chat.photo = undefined;
    else if (m.action?.type === "pin_message" && m.action.messageId !== undefined) {
      const target = byId.get(m.action.messageId);
      if (target) target.pinned = true;
    }
  }
}

function _message(b: WorldBuilder, media: ExportMedia, chat: WChat, m: Json): WMessage | undefined {
  if (typeof m.id !== "number" || m.id <= 0) return undefined;
  const date = _time(m.date_unixtime, m.date);
  const { text, entities } = parseExportText(m);
  const msg: WMessage = { id: m.id, date, text, entities };
  const from = _peer(b, m.from_id ?? m.actor_id, m.from ?? m.actor);
  if (chat.kind === "channel" && (!from || from.kind === "channel")) msg.post = true;
  else if (from) msg.from = from;
  if (from?.kind === "user" && from.id === b.world.selfUserId) msg.out = true;
  if (m.edited !== undefined || m.edited_unixtime !== undefined) {
    msg.editDate = _time(m.edited_unixtime, m.edited);
  }
  if (typeof m.reply_to_message_id === "number") msg.reply = { msgId: m.reply_to_message_id };
  if (m.forwarded_from !== undefined || m.forwarded_from_id !== undefined) {
    msg.fwd = { date, fromName: m.forwarded_from ?? undefined };
    const fp = _peer(b, m.forwarded_from_id, m.forwarded_from);
    if (fp) msg.fwd.from = fp;
  }
  if (typeof m.via_bot === "string") {
    const name = m.via_bot.replace(/^@/, "");
    msg.viaBotId = b.user(hash63("bot", name) & 0xffffffffn, name, { bot: true, username: name }).id;
  }
  if (Array.isArray(m.reactions)) {
    msg.reactions = m.reactions.filter((r: Json) => r.type === "emoji").map((r: Json) => ({
      emoji: String(r.emoji),
      count: Number(r.count ?? 1),
    }));
  }
  if (m.type === "service") msg.action = _action(b, media, m, date);
  else msg.media = media.media(m, date);
  return msg;
}

function _action(b: WorldBuilder, media: ExportMedia, m: Json, date: number): WAction {
  // a custom action has no action name, only its text
  const custom = m.action === undefined && typeof m.information_text === "string";
  const a: WAction = { type: custom ? "custom_action" : String(m.action ?? "unknown") };
  if (custom) a.text = m.information_text;
  if (m.title !== undefined) a.title = String(m.title);
  if (m.new_title !== undefined) a.title = String(m.new_title);
  if (typeof m.message_id === "number") a.messageId = m.message_id;
  // phone_call writes duration_seconds, group_call duration, set_messages_ttl period
  const secs = m.duration_seconds ?? m.duration ?? m.period;
  if (secs !== undefined) a.duration = Number(secs);
  if (Array.isArray(m.members)) a.userIds = m.members.map((name: Json) => _named(b, name));
  if (typeof m.inviter === "string") a.inviterId = _named(b, m.inviter);
  const photoAction = a.type === "edit_group_photo" || a.type === "suggest_profile_photo";
  if (photoAction && m.photo !== undefined) a.photo = media.photo(m, date);
  // 64-bit ids are bare JSON numbers: JSON.parse rounds them, and everyone reading the export sees that
  if (m.new_icon_emoji_id !== undefined) a.iconEmojiId = BigInt(Math.trunc(Number(m.new_icon_emoji_id)));
  if (typeof m.discard_reason === "string") a.discardReason = m.discard_reason;
  if (a.type === "edit_chat_theme") a.emoticon = String(m.emoticon ?? "");
  if (!custom && m.text && typeof m.text === "string") a.text = m.text;
  return a;
}

/** The user an export names only by name: an existing user of that name, else one made for it. */
function _named(b: WorldBuilder, name: Json): bigint {
  const s = String(name ?? "");
  for (const u of b.world.users.values()) {
    if (s && [u.firstName, u.lastName].filter(Boolean).join(" ") === s) return u.id;
  }
  return b.user(hash63("member", name) & 0xffffffffn, s).id;
}

/** "user123" / "channel123" / "chat123" -> a peer; creates the user with the exported name. */
function _peer(b: WorldBuilder, fromId: unknown, name: unknown): WPeer | undefined {
  const r = /^(user|channel|chat)(\d+)$/.exec(String(fromId ?? ""));
  if (!r) return undefined;
  const id = BigInt(r[2]);
  if (r[1] === "user") {
    b.user(id, name == null ? "" : String(name), name == null ? { deleted: true } : {});
    return { kind: "user", id };
  }
  return { kind: r[1] as "channel" | "chat", id };
}

/** Topic messages of a forum: topic_created service messages open topics, replies inherit them. */
function _forumTopics(chat: WChat): void {
  const created = chat.messages.filter((m) => m.action?.type === "topic_created");
  if (created.length === 0) return;
  chat.kind = "forum";
  chat.topics = created.map((m) => ({
    id: m.id,
    title: m.action?.title ?? "",
    date: m.date,
    iconColor: 0x6fb9f0,
  }));
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  for (const m of [...chat.messages].sort((x, y) => x.id - y.id)) {
    if (m.action?.type === "topic_created") m.topicId = m.id;
    else if (m.reply) {
      const parent = byId.get(m.reply.msgId);
      const top = parent?.topicId ??
        (chat.topics.some((t) => t.id === m.reply!.msgId) ? m.reply.msgId : undefined);
      if (top !== undefined) {
        m.topicId = top;
        m.reply = { msgId: m.reply.msgId, topId: m.reply.msgId === top ? undefined : top, forumTopic: true };
      }
    }
  }
}

function _time(unix: unknown, iso: unknown): number {
  if (unix !== undefined && /^\d+$/.test(String(unix))) return Number(unix);
  // Old exports carry only a zone-less local time: read it as UTC so it is the same everywhere.
  const t = Date.parse(String(iso) + "Z");
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

function _slug(b: WorldBuilder, title: string, id: bigint): string {
  let s = title.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(s)) s = "c" + s;
  s = s.slice(0, 24);
  if (s.length < 5) s = `${s}_${id}`.slice(0, 32);
  const taken = new Set([...b.world.chats.values()].map((c) => c.username));
  for (const u of b.world.users.values()) taken.add(u.username);
  return taken.has(s) ? `${s}_${id % 10000n}` : s;
}
