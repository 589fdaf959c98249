/** Turns --min-id/--max-id/--after/--before/--limit into an id range of one chat. */
import type { TgClient } from "../../telegram/client.ts";
import { newestIdBefore, newestWithCount } from "../../telegram/history_page.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import type { IdBounds } from "./export_chat.ts";

/** The flags that bound an export. Dates are unix seconds. */
export interface BoundFlags {
  minId?: number;
  maxId?: number;
  after?: number;
  before?: number;
  limit?: number;
  topicId?: number;
  takeoutId?: string;
}

/**
 * Resolves the bounds with a few one-message history calls: the newest id (the upper end), the
 * newest id before a date (date bounds), and the id `limit` messages below the top (--limit keeps
 * the newest N). Dates are also checked per message, as ids and dates need not agree.
 */
export async function resolveBounds(client: TgClient, chat: ResolvedChat, f: BoundFlags): Promise<IdBounds> {
  const q = { replyTo: f.topicId, takeoutId: f.takeoutId };
  const top = await newestWithCount(client, chat, q);
  let upTo = top.id;
  if (f.maxId !== undefined) upTo = Math.min(upTo, f.maxId);
  let after = Math.max(0, (f.minId ?? 1) - 1);
  const b: IdBounds = { after, upTo };
  if (f.after !== undefined) {
    after = Math.max(after, await newestIdBefore(client, chat, { ...q, beforeUnix: f.after }));
    b.minDate = f.after;
  }
  if (f.before !== undefined) {
    upTo = Math.min(upTo, await newestIdBefore(client, chat, { ...q, beforeUnix: f.before }));
    b.maxDate = f.before;
  }
  if (f.limit !== undefined && upTo > after) {
    const nth = await newestIdBefore(client, chat, { ...q, belowId: upTo + 1, skip: f.limit - 1 });
    if (nth > 0) after = Math.max(after, nth - 1);
  }
  b.after = after;
  b.upTo = upTo;
  // the whole chat: Telegram's count; a part of it: at most its id span (ids have gaps)
  b.expected = after === 0 && upTo === top.id && b.minDate === undefined
    ? top.count
    : Math.min(top.count, Math.max(0, upTo - after));
  return b;
}
