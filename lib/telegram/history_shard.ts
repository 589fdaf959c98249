/**
 * The `history_shard` fetch task: one id range of one chat, paged upwards (ascending, at most 100
 * messages per call) on the worker's own connection; every page goes back to the writer as soon
 * as it arrives. Plain data only: it crosses threads by structured clone.
 */
import type { TgClient } from "./client.ts";
import type { AccountConfig } from "./connect_files.ts";
import { fetchHistoryPage, type MappedMessage } from "./history_page.ts";
import { fetchRange } from "./history_range.ts";
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

/** One page of a shard, ascending; a shard's pages may arrive out of order (history_range.ts). */
export interface HistoryPageEvent {
  kind: "history_page";
  shard: number;
  messages: MappedMessage[];
  /** The page covers `after < id <= cursor`. */
  after: number;
  cursor: number;
}

/**
 * Pages through every shard of the task at once (one request in flight per shard, more while a
 * page is held up; all on the same connection: MTProto pipelines them), handing each page to
 * `onPage`; returns the number of messages.
 */
export async function runHistoryShard(
  client: TgClient,
  task: HistoryShardTask,
  ctx: { onPage: (page: HistoryPageEvent) => void; signal?: AbortSignal },
): Promise<number> {
  const counts = await Promise.all(task.shards.map((s) =>
    fetchRange(
      s.after,
      s.upTo,
      (after, upTo, onTrouble) =>
        fetchHistoryPage(
          client,
          task.chat,
          { after, upTo, replyTo: task.replyTo, takeoutId: task.takeoutId },
          { onTrouble },
        ),
      (page) => ctx.onPage({ kind: "history_page", shard: s.shard, ...page }),
      ctx.signal,
    )
  ));
  return counts.reduce((a, b) => a + b, 0);
}
