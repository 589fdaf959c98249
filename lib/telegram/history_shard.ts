/**
 * The `history_shard` fetch task: one id range of one chat, paged upwards (ascending, at most 100
 * messages per call) on the worker's own connection; every page goes back to the writer as soon
 * as it arrives. Plain data only: it crosses threads by structured clone.
 */
import type { TgClient } from "./client.ts";
import type { AccountConfig } from "./connect_files.ts";
import { fetchHistoryPage, type MappedMessage } from "./history_page.ts";
import type { ChatRef } from "./media_messages.ts";

/** Fetch the messages with `after < id <= upTo` of one chat, for each shard of the task. */
export interface HistoryShardTask {
  kind: "history_shard";
  account: AccountConfig;
  chat: ChatRef;
  /**
   * The shards of this task, fetched concurrently over the one connection (events carry `shard`).
   * None: the task only connects the worker's client (a warm-up while the writer starts).
   */
  shards: Array<{ shard: number; after: number; upTo: number }>;
  /** Forum topic id (messages.getReplies). */
  replyTo?: number;
  takeoutId?: string;
}

/** One page of a shard, ascending. */
export interface HistoryPageEvent {
  kind: "history_page";
  shard: number;
  messages: MappedMessage[];
  /** Highest id covered so far: the shard's cursor. */
  cursor: number;
}

/**
 * Pages through every shard of the task at once (one request in flight per shard, all on the
 * same connection: MTProto pipelines them), handing each page to `onPage`; returns the number of
 * messages.
 */
export async function runHistoryShard(
  client: TgClient,
  task: HistoryShardTask,
  ctx: { onPage: (page: HistoryPageEvent) => void; signal?: AbortSignal },
): Promise<number> {
  const counts = await Promise.all(task.shards.map((s) => _one(client, task, s, ctx)));
  return counts.reduce((a, b) => a + b, 0);
}

async function _one(
  client: TgClient,
  task: HistoryShardTask,
  s: { shard: number; after: number; upTo: number },
  ctx: { onPage: (page: HistoryPageEvent) => void; signal?: AbortSignal },
): Promise<number> {
  let after = s.after;
  let total = 0;
  while (after < s.upTo) {
    ctx.signal?.throwIfAborted();
    const page = await fetchHistoryPage(client, task.chat, {
      after,
      upTo: s.upTo,
      replyTo: task.replyTo,
      takeoutId: task.takeoutId,
    });
    // a page that ends early (or stops moving) means the range above `after` is exhausted
    const cursor = page.more && page.last > after ? page.last : s.upTo;
    total += page.messages.length;
    ctx.onPage({ kind: "history_page", shard: s.shard, messages: page.messages, cursor });
    after = cursor;
  }
  return total;
}
