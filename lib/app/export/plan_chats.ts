/**
 * The chats one `tgpipe export` run takes: the ones it names, plus with `--all`/`--type` every
 * chat of the account of those types (as Telegram Desktop's export dialog offers), minus
 * `--exclude`. Named chats keep their links' topics and message ranges.
 */
import type { ChatFilter } from "../../core/chat_filter.ts";
import { chatMatches } from "../../core/chat_filter.ts";
import { UsageError } from "../../core/errors.ts";
import type { TgClient } from "../../telegram/client.ts";
import { parseChatSpec } from "../../telegram/links.ts";
import { listDialogs } from "../../telegram/list_dialogs.ts";
import { resolveChat, type ResolvedChat } from "../../telegram/resolve_chat.ts";
import { type ChatItem, chatItem } from "./export_chat_step.ts";
import type { ExportTarget } from "./export_target.ts";

/** Which chats beyond the named ones, and which to leave out. */
export interface ChatSelection {
  /** Every chat of the account that passes this filter (`--all` = an empty filter). */
  all?: ChatFilter;
  /** Chats left out (see {@link excludeMatchers}). */
  exclude?: ReadonlyArray<(c: ResolvedChat) => boolean>;
}

/** The job items of a run (see module comment). */
export async function planChats(
  client: TgClient,
  targets: ExportTarget[],
  sel: ChatSelection,
  signal?: AbortSignal,
): Promise<ChatItem[]> {
  const skip = (c: ResolvedChat) => (sel.exclude ?? []).some((m) => m(c));
  const items: ChatItem[] = [];
  const named = new Set<number>();
  for (const t of targets) {
    const chat = await resolveChat(client, t.chat, { signal });
    named.add(chat.id);
    if (!skip(chat)) items.push(chatItem(chat, t));
  }
  if (sel.all) {
    const f = sel.all;
    const dialogs = await listDialogs(client, { counts: false, filter: (c) => chatMatches(c, f), signal });
    for (const d of dialogs) {
      const { message_count: _m, unread_count: _u, ...chat } = d;
      if (named.has(chat.id) || skip(chat)) continue;
      items.push(chatItem(chat, { chat: String(chat.id) }));
    }
  }
  return items;
}

/**
 * Tests for `--exclude` values (ids, @usernames, t.me links, `me`), read before any request;
 * UsageError (exit 2) for a value that is none of those.
 */
export function excludeMatchers(refs: readonly string[]): Array<(c: ResolvedChat) => boolean> {
  return refs.map(_excludeMatcher);
}

function _excludeMatcher(ref: string): (c: ResolvedChat) => boolean {
  let spec;
  try {
    spec = parseChatSpec(ref);
  } catch {
    throw new UsageError(
      `--exclude ${JSON.stringify(ref)} is not a chat: use an id, @username, t.me link or me`,
    );
  }
  if (spec.type === "me") return (c) => c.kind === "saved";
  if (spec.type === "username") {
    const name = spec.username.toLowerCase();
    return (c) => c.username?.toLowerCase() === name;
  }
  return (c) => c.id === spec.id;
}
