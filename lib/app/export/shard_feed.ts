/**
 * The sharded fetch of one chat: the id range is cut into shards that run as `history_shard`
 * tasks on the fetch workers (each worker its own Telegram connection). Pages come back over the
 * pool's MessagePorts and are handed out strictly in id order to the one writer. Back-pressure:
 * only `window` tasks (of `lanes` shards each) are fetched ahead of the one the writer is on, so
 * at most window × lanes × shard size messages wait in memory however long the chat is. A shard's
 * pages may arrive out of order (a held-up page has the rest of its shard fetched beside it:
 * lib/telegram/history_range.ts); each page names the id it starts after, and they are put back in
 * order here. `onArrive` sees every page as it arrives, in any order (export starts its media there).
 */
import type { WorkerPool } from "../../engine/worker_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { AccountConfig } from "../../telegram/connect_files.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../telegram/fetch_task.ts";
import type { HistoryShardTask } from "../../telegram/history_shard.ts";
import type { MappedMessage } from "../../telegram/history_page.ts";
import type { ChatRef } from "../../telegram/media_messages.ts";

/** The fetch worker pool, or anything that runs its tasks the same way (LocalFetchPool). */
export type FetchPool = Pick<
  WorkerPool<FetchTask, FetchTaskResult, FetchTaskEvent>,
  "size" | "submit" | "terminate"
>;

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
  /** Shards per task: a worker fetches them concurrently on its one connection. Default 1. */
  lanes?: number;
  /** Tasks fetched ahead of the writer. Default 2 × pool size. */
  window?: number;
  replyTo?: number;
  takeoutId?: string;
  /** Called with each page's messages as the page arrives, before it is in order. */
  onArrive?: (messages: MappedMessage[]) => void;
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
  /** Pages in order, for the writer. */
  pages: FeedPage[];
  /** Pages that arrived before the one they follow, by the id they start after. */
  early: Map<number, FeedPage>;
  done: boolean;
  error?: unknown;
  /** Every id up to here has arrived, in order. */
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
  const lanes = Math.max(1, opts.lanes ?? 1);
  const window = Math.max(1, opts.window ?? pool.size * 2);
  const shards: _Shard[] = opts.ranges.map((range) => ({
    range,
    pages: [],
    early: new Map(),
    done: range.after >= range.upTo,
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
  const run: _Run = { pool, opts, shards, lanes, signal, poke };
  let nextGroup = 0;
  const groups = Math.ceil(shards.length / lanes);
  try {
    for (let i = 0; i < shards.length; i++) {
      const g = Math.floor(i / lanes);
      while (nextGroup < groups && nextGroup < g + window) _startGroup(run, nextGroup++, 0);
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
    }
  } finally {
    stop.abort();
  }
}

interface _Run {
  pool: FetchPool;
  opts: ShardFeedOptions;
  shards: _Shard[];
  lanes: number;
  signal: AbortSignal;
  poke: () => void;
}

/** Submits one task for a group of `lanes` consecutive shards: a worker fetches them concurrently. */
function _startGroup(run: _Run, group: number, attempt: number): void {
  const { pool, opts, shards, lanes, signal, poke } = run;
  const ids: number[] = [];
  for (let i = group * lanes; i < Math.min(shards.length, (group + 1) * lanes); i++) {
    if (!shards[i].done) ids.push(i);
  }
  if (ids.length === 0) return;
  const task: HistoryShardTask = {
    kind: "history_shard",
    account: opts.account,
    chat: opts.chat,
    shards: ids.map((i) => ({ shard: i, after: shards[i].cursor, upTo: shards[i].range.upTo })),
    replyTo: opts.replyTo,
    takeoutId: opts.takeoutId,
  };
  pool.submit(task, {
    signal,
    onEvent: (ev) => {
      if (ev.kind === "history_page") {
        const s = shards[ev.shard];
        if (!s || !ids.includes(ev.shard) || ev.after < s.cursor) return;
        opts.onArrive?.(ev.messages);
        s.early.set(ev.after, { messages: ev.messages, cursor: ev.cursor });
        _inOrder(s);
        poke();
      } else if (ev.kind === "event") opts.emit?.(ev.event);
    },
  }).then((h) => h.result).then(
    () => {
      for (const i of ids) {
        const s = shards[i];
        // a task ends after its last page: a gap left would be a bug, not a short chat
        if (s.early.size > 0) s.error = new Error(`Shard ${i} ended with pages missing after ${s.cursor}`);
        s.done = true;
      }
      poke();
    },
    (err) => {
      if (!signal.aborted && attempt + 1 < (opts.attempts ?? 3)) {
        opts.emit?.({
          type: "retry",
          item: `shards:${ids[0]}-${ids.at(-1)}`,
          attempt: attempt + 1,
          delay_ms: 0,
          error: {
            code: (err as { code?: string })?.code ?? "SHARD_FAILED",
            message: String((err as Error)?.message ?? err),
          },
        });
        // the next attempt starts at each shard's cursor: pages past a gap come again
        for (const i of ids) shards[i].early.clear();
        _startGroup(run, group, attempt + 1);
        return;
      }
      for (const i of ids) if (!shards[i].done) shards[i].error = err;
      poke();
    },
  );
}

/** Moves a shard's early pages that now follow its cursor to its in-order pages. */
function _inOrder(s: _Shard): void {
  for (let next = s.early.get(s.cursor); next; next = s.early.get(s.cursor)) {
    s.early.delete(s.cursor);
    s.pages.push(next);
    s.cursor = next.cursor;
  }
  if (s.cursor >= s.range.upTo) s.done = true;
}
