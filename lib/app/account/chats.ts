/** `tgpipe chats`: the account's dialogs with id, type, title, username and message count. */
import type { ChatSummary } from "../../core/account.ts";
import { type ChatFilter, chatMatches } from "../../core/chat_filter.ts";
import type { Emit } from "../../progress/events.ts";
import { listDialogs } from "../../telegram/list_dialogs.ts";
import { connectAccount, type TelegramAccess } from "../shared/telegram_access.ts";

/** Options of chats. */
export interface ChatsOptions {
  access: TelegramAccess;
  /** At most this many chats (newest first). */
  limit?: number;
  /** Exact message counts (one call per chat). Default true. */
  counts?: boolean;
  /** Only the chats that pass it. */
  filter?: ChatFilter;
  emit?: Emit;
  signal?: AbortSignal;
}

/** Lists the account's chats. */
export async function chats(opts: ChatsOptions): Promise<ChatSummary[]> {
  const client = await connectAccount(opts.access, opts);
  try {
    const f = opts.filter;
    return await listDialogs(client, {
      limit: opts.limit,
      counts: opts.counts,
      filter: f && ((c) => chatMatches(c, f)),
      signal: opts.signal,
    });
  } finally {
    await client.close();
  }
}
