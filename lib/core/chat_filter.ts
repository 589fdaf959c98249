/**
 * Which of the account's chats a command takes (`chats --type/--name/--with-username/--unread`,
 * `export --all/--type`), by the kinds Telegram Desktop's export dialog offers: personal chats,
 * bots, groups, channels (tgpipe's own kinds are accepted too).
 */
import type { ChatKind } from "./message.ts";
import { UsageError } from "./errors.ts";

/** Desktop's chat types and the tgpipe kinds each one covers. */
export const CHAT_TYPES: Readonly<Record<string, readonly ChatKind[]>> = {
  personal: ["user", "saved"],
  bot: ["bot"],
  group: ["group", "supergroup", "forum"],
  channel: ["channel"],
};

const KINDS: readonly ChatKind[] = ["user", "bot", "group", "supergroup", "channel", "forum", "saved"];

/** What a chat must be to be taken; an absent field takes every chat. */
export interface ChatFilter {
  kinds?: ReadonlySet<ChatKind>;
  /** Matched against the title and the @username. */
  name?: RegExp;
  hasUsername?: boolean;
  /** Only chats with unread messages. */
  unread?: boolean;
}

/**
 * The kinds a comma-separated list of types names (`personal,bot,group,channel` or tgpipe kinds
 * such as `supergroup`, `forum`, `saved`).
 */
export function parseChatTypes(list: string): Set<ChatKind> {
  const out = new Set<ChatKind>();
  for (const raw of list.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const kinds = CHAT_TYPES[raw] ?? (KINDS.includes(raw as ChatKind) ? [raw as ChatKind] : undefined);
    if (!kinds) {
      throw new UsageError(
        `Unknown chat type "${raw}": use ${Object.keys(CHAT_TYPES).join(", ")} (or ${KINDS.join(", ")})`,
      );
    }
    for (const k of kinds) out.add(k);
  }
  if (out.size === 0) throw new UsageError("Name at least one chat type");
  return out;
}

/** A case-insensitive pattern for chat names; UsageError when it is not a valid regular expression. */
export function parseNamePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "iu");
  } catch (err) {
    throw new UsageError(`Invalid --name pattern: ${(err as Error).message}`);
  }
}

/** Whether `chat` passes `f`. */
export function chatMatches(
  chat: { kind: ChatKind; title: string; username?: string; unread_count?: number },
  f: ChatFilter,
): boolean {
  if (f.kinds && !f.kinds.has(chat.kind)) return false;
  if (f.name && !f.name.test(chat.title) && !(chat.username !== undefined && f.name.test(chat.username))) {
    return false;
  }
  if (f.hasUsername !== undefined && (chat.username !== undefined) !== f.hasUsername) return false;
  if (f.unread && !((chat.unread_count ?? 0) > 0)) return false;
  return true;
}
