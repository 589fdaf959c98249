/**
 * Reads Telegram Desktop JSON exports into tgpipe's message model: a single-chat result.json,
 * a whole-account result.json (chats.list and left_chats.list), and the tgif layout (folders
 * of exported.json + metadata.json slices of one chat, some in the older format without
 * date_unixtime/text_entities). Slices of the same chat are merged by message id.
 * Media `ref`s are paths relative to the directory given, with "/" separators.
 */
import { dirname, join, relative } from "node:path";
import { UsageError } from "../core/errors.ts";
import type { Chat, ChatKind, Message } from "../core/message.ts";
import { readTdesktopMessage, slashPath } from "./tdesktop_message.ts";
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
      const where = slashPath(relative(dir, file));
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
  return { format, files: files.map((f) => slashPath(relative(dir, f))), chats, warnings };
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
    if (check.message) messages.push(readTdesktopMessage(check.message, id, c.base));
    if (check.problems.length > 0) c.warnings.push(damageWarning(check, { chat, raw: m, index: i }));
  }
  return { chat, messages, left: c.left };
}
