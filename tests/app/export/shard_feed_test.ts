import assert from "node:assert/strict";
import { type FetchPool, planShards, shardFeed } from "../../../lib/app/export/shard_feed.ts";
import type { SubmitOptions, TaskHandle } from "../../../lib/engine/worker_pool.ts";
import type { FetchTask, FetchTaskEvent, FetchTaskResult } from "../../../lib/telegram/fetch_task.ts";
import type { HistoryShardTask } from "../../../lib/telegram/history_shard.ts";
import type { MappedMessage } from "../../../lib/telegram/history_page.ts";

type Page = { after: number; cursor: number };

const msgs = (p: Page): MappedMessage[] =>
  Array.from(
    { length: p.cursor - p.after },
    (_, i) => ({ message: { id: p.after + 1 + i } as MappedMessage["message"] }),
  );

/**
 * A pool whose tasks send the pages `script` gives for each shard range, in that order (a held-up
 * page's rest arrives before it, as history_range.ts sends them), then end; failing once if asked.
 */
class ScriptedPool implements FetchPool {
  readonly size = 1;
  readonly tasks: HistoryShardTask[] = [];
  constructor(readonly script: (range: { after: number; upTo: number }, attempt: number) => Page[] | Error) {}

  submit(task: FetchTask, opts: SubmitOptions<FetchTaskEvent> = {}): Promise<TaskHandle<FetchTaskResult>> {
    const t = task as HistoryShardTask;
    this.tasks.push(t);
    const attempt = this.tasks.filter((x) => x.shards[0].shard === t.shards[0].shard).length - 1;
    const result = (async () => {
      for (const s of t.shards) {
        const pages = this.script(s, attempt);
        for (const p of pages instanceof Error ? [] : pages) {
          await Promise.resolve();
          opts.onEvent?.({ kind: "history_page", shard: s.shard, messages: msgs(p), ...p });
        }
        if (pages instanceof Error) throw pages;
      }
      return { bytes: 0 };
    })();
    return Promise.resolve({ id: this.tasks.length, result });
  }

  terminate(): void {}
}

const account = {} as HistoryShardTask["account"];
const chat = { id: 1, peer: "c1" } as unknown as HistoryShardTask["chat"];

async function collect(pool: FetchPool, upTo: number, arrived: number[][] = []): Promise<number[]> {
  const ids: number[] = [];
  for await (
    const page of shardFeed(pool, {
      account,
      chat,
      ranges: planShards(0, upTo, 500),
      onArrive: (m) => arrived.push(m.map((x) => x.message.id)),
    })
  ) ids.push(...page.messages.map((m) => m.message.id));
  return ids;
}

Deno.test("shardFeed: a shard's pages that arrive out of order are handed out in order; onArrive sees arrival order", async () => {
  // shard (0, 500]: page 100..200 was held up, its rest came first
  const pool = new ScriptedPool((r) =>
    r.after === 0
      ? [{ after: 0, cursor: 100 }, { after: 200, cursor: 300 }, { after: 300, cursor: 500 }, {
        after: 100,
        cursor: 200,
      }]
      : [{ after: r.after, cursor: r.upTo }]
  );
  const arrived: number[][] = [];
  const ids = await collect(pool, 700, arrived);
  assert.deepEqual(ids, Array.from({ length: 700 }, (_, i) => i + 1));
  // media can start for pages 200-500 before page 100-200 is there
  assert.deepEqual(arrived.map((a) => a[0]).filter((id) => id <= 500), [1, 201, 301, 101]);
});

Deno.test("shardFeed: a task that ends with a gap in its pages is an error, not a short chat", async () => {
  const pool = new ScriptedPool((r) =>
    r.after === 0 ? [{ after: 0, cursor: 100 }, { after: 200, cursor: 500 }] : []
  );
  await assert.rejects(collect(pool, 500), /pages missing after 100/);
});

Deno.test("shardFeed: a failed task is resubmitted from the in-order cursor; early pages of the failed try are dropped", async () => {
  const pool = new ScriptedPool((r, attempt) => {
    if (attempt === 0) {
      // page 100 never came; 300..500 did, then the task failed
      return r.after === 0 ? [{ after: 0, cursor: 100 }, { after: 300, cursor: 500 }] as Page[] : [];
    }
    return [{ after: r.after, cursor: 250 }, { after: 250, cursor: r.upTo }];
  });
  const failing = new ScriptedPool((r, attempt) => {
    const pages = pool.script(r, attempt);
    return attempt === 0 ? Object.assign(new Error("worker lost"), { pages }) : pages;
  });
  // the failing try sends its pages, then fails
  const flaky: FetchPool = {
    size: 1,
    terminate() {},
    submit(task, opts = {}) {
      const t = task as HistoryShardTask;
      failing.tasks.push(t);
      const attempt = failing.tasks.length - 1;
      const result = (async () => {
        for (const s of t.shards) {
          const out = failing.script(s, attempt) as Page[] | (Error & { pages: Page[] });
          const pages = out instanceof Error ? out.pages : out;
          for (const p of pages) {
            await Promise.resolve(); // pages come one per turn, as from a worker
            opts.onEvent?.({ kind: "history_page", shard: s.shard, messages: msgs(p), ...p });
          }
          if (out instanceof Error) throw out;
        }
        return { bytes: 0 };
      })();
      return Promise.resolve({ id: attempt, result });
    },
  };
  const ids = await collect(flaky, 500);
  assert.deepEqual(ids, Array.from({ length: 500 }, (_, i) => i + 1));
  assert.equal(failing.tasks[1].shards[0].after, 100, "the second try starts where the pages were in order");
});
