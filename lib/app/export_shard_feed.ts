/**
 * The sharded fetch of one chat: the id range is cut into shards that run as `history_shard`
 * tasks on the fetch workers (each worker its own Telegram connection). Pages come back over the
 * pool's MessagePorts and are handed out strictly in id order to the one writer. Back-pressure:
 * only `window` shards are fetched ahead of the shard the writer is on, so at most
 * window × shard size messages wait in memory however long the chat is.
 */
import type { WorkerPool } from "../engine/worker_pool.ts";
import type { Emit } from "../progress/events.ts";
import type { AccountConfig } from "../telegram/connect_files.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../telegram/fetch_task.ts";
import type { HistoryShardTask } from "../telegram/history_shard.ts";
import type { MappedMessage } from "../telegram/history_page.ts";
import type { ChatRef } from "../telegram/media_messages.ts";

/** The fetch worker pool. */
export type FetchPool = WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>;

/** One piece of the id range: `after < id <= upTo`. */
export interface ShardRange {
  after: number;
  upTo: number;
}

/** Options of {@link shardFeed}. */
export interface ShardFeedOptions {
  account: AccountConfig;
  chat: ChatRef;
  ranges: ShardRange[];
  /** Shards fetched ahead of the writer. Default 2 × pool size. */
  window?: number;
  replyTo?: number;
  takeoutId?: string;
  /** Failed shard tasks are resubmitted from their cursor this many times. Default 3. */
  attempts?: number;
  emit?: Emit;
  signal?: AbortSignal;
}

/** A page handed to the writer: messages ascending and the id the range is covered up to. */
export interface FeedPage {
  messages: MappedMessage[];
  cursor: number;
}

interface _Shard {
  range: ShardRange;
  pages: FeedPage[];
  done: boolean;
  error?: unknown;
  cursor: number;
  attempt: number;
}

/** Splits `after < id <= upTo` into shards of about `size` ids (at least one shard). */
export function planShards(after: number, upTo: number, size: number): ShardRange[] {
  if (upTo <= after) return [];
  const step = Math.max(1, Math.ceil(size));
  const out: ShardRange[] = [];
  for (let a = after; a < upTo; a += step) out.push({ after: a, upTo: Math.min(upTo, a + step) });
  return out;
}

/** Yields the pages of every shard in id order (see module comment). */
export async function* shardFeed(pool: FetchPool, opts: ShardFeedOptions): AsyncGenerator<FeedPage> {
  const window = Math.max(1, opts.window ?? pool.size * 2);
  const shards: _Shard[] = opts.ranges.map((range) => ({
    range,
    pages: [],
    done: false,
    cursor: range.after,
    attempt: 0,
  }));
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const start = (i: number) => {
    const s = shards[i];
    const task: HistoryShardTask = {
      kind: "history_shard",
      account: opts.account,
      chat: opts.chat,
      shard: i,
      after: s.cursor,
      upTo: s.range.upTo,
      replyTo: opts.replyTo,
      takeoutId: opts.takeoutId,
    };
    pool.submit(task, {
      signal,
      onEvent: (ev) => {
        if (ev.kind === "history_page" && ev.shard === i) {
          s.pages.push({ messages: ev.messages, cursor: ev.cursor });
          s.cursor = ev.cursor;
          poke();
        } else if (ev.kind === "event") opts.emit?.(ev.event);
      },
    }).then((h) => h.result).then(
      () => {
        s.done = true;
        poke();
      },
      (err) => {
        if (!signal.aborted && s.attempt + 1 < (opts.attempts ?? 3)) {
          s.attempt++;
          opts.emit?.({
            type: "retry",
            item: `shard:${i}`,
            attempt: s.attempt,
            delay_ms: 0,
            error: {
              code: (err as { code?: string })?.code ?? "SHARD_FAILED",
              message: String((err as Error)?.message ?? err),
            },
          });
          start(i);
          return;
        }
        s.error = err;
        poke();
      },
    );
  };
  let next = 0;
  try {
    for (let i = 0; i < shards.length; i++) {
      while (next < shards.length && next < i + window) start(next++);
      const s = shards[i];
      while (true) {
        if (s.pages.length > 0) {
          yield s.pages.shift()!;
          continue;
        }
        if (s.error !== undefined) throw s.error;
        if (s.done) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      shards[i] = { ...s, pages: [] };
    }
  } finally {
    stop.abort();
  }
}
