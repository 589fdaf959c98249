import assert from "node:assert/strict";
import { fetchRange, PAGE_IDS, type PageFetch, type RangePage } from "../../lib/telegram/history_range.ts";
import type { HistoryPage, MappedMessage } from "../../lib/telegram/history_page.ts";

/** Waits (a few ms at a time, at most ~5 s) until `ok()`; fails naming `what` otherwise. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok(), `never: ${what}`);
}

/** A page of a dense chat (every id a message) as Telegram answers it: the 100 ids above `after`. */
function densePage(after: number, upTo: number): HistoryPage {
  const messages: MappedMessage[] = [];
  for (let id = after + 1; id <= Math.min(upTo, after + PAGE_IDS); id++) {
    messages.push({ message: { id } as MappedMessage["message"] });
  }
  const last = messages.at(-1)?.message.id ?? after;
  return { messages, last, more: messages.length === PAGE_IDS };
}

/** Requests in order, and a way to hold one page's answer until released. */
class Script {
  readonly asked: Array<{ after: number; upTo: number }> = [];
  readonly #held = new Map<number, () => void>();
  readonly #holdAt: Set<number>;

  constructor(holdAt: number[] = []) {
    this.#holdAt = new Set(holdAt);
  }

  fetch: PageFetch = async (after, upTo, onTrouble) => {
    this.asked.push({ after, upTo });
    if (this.#holdAt.has(after)) {
      this.#holdAt.delete(after);
      onTrouble(); // as a FLOOD_WAIT or a lost answer does, while the call goes on
      await new Promise<void>((resolve) => this.#held.set(after, resolve));
    }
    return densePage(after, upTo);
  };

  release(after: number): void {
    this.#held.get(after)!();
  }

  holding(after: number): boolean {
    return this.#held.has(after);
  }
}

function ids(pages: RangePage[]): number[] {
  return pages.flatMap((p) => p.messages.map((m) => m.message.id));
}

/** The pages put back in order by `after` (as shard_feed does), checked to chain without a gap. */
function chained(pages: RangePage[], from: number, to: number): RangePage[] {
  const byAfter = new Map(pages.map((p) => [p.after, p]));
  assert.equal(byAfter.size, pages.length, "two pages start after the same id");
  const out: RangePage[] = [];
  for (let at = from; at < to;) {
    const p = byAfter.get(at);
    assert.ok(p, `no page starts after ${at}`);
    assert.ok(p.cursor > at, `page after ${at} does not move`);
    out.push(p);
    at = p.cursor;
  }
  assert.equal(out.length, pages.length, "pages beyond the range");
  return out;
}

Deno.test("fetchRange without trouble: one page after another, in order, every id once", async () => {
  const s = new Script();
  const pages: RangePage[] = [];
  const n = await fetchRange(0, 450, s.fetch, (p) => pages.push(p));
  assert.equal(n, 450);
  assert.deepEqual(s.asked.map((a) => a.after), [0, 100, 200, 300, 400]);
  assert.deepEqual(pages.map((p) => [p.after, p.cursor]), [[0, 100], [100, 200], [200, 300], [300, 400], [
    400,
    450,
  ]]);
  assert.deepEqual(ids(pages), Array.from({ length: 450 }, (_, i) => i + 1));
});

Deno.test("fetchRange: a held-up page has the rest of its range fetched beside it, not after it", async () => {
  const s = new Script([100]);
  const pages: RangePage[] = [];
  const done = fetchRange(0, 500, s.fetch, (p) => pages.push(p));
  // while page 100 is held, the rest of the range (200..500) is fetched to its end
  await until(() => pages.some((p) => p.cursor === 500), "the rest fetched while page 100 is held");
  assert.ok(s.holding(100), "the held page is still out");
  assert.deepEqual(pages.map((p) => p.after), [0, 200, 300, 400]);
  s.release(100);
  assert.equal(await done, 500);
  const ordered = chained(pages, 0, 500);
  assert.deepEqual(ids(ordered), Array.from({ length: 500 }, (_, i) => i + 1));
  // the rest was split off the held page's range: it was asked only up to its own 100 ids' end
  assert.deepEqual(ordered.map((p) => [p.after, p.cursor]), [[0, 100], [100, 200], [200, 300], [300, 400], [
    400,
    500,
  ]]);
});

Deno.test("fetchRange: ids of a held page's answer past the split are left to the rest (no duplicates)", async () => {
  // a sparse chat: each page reaches 150 ids up, so the held page's answer passes its split point
  const s = new Script([0]);
  const sparse: PageFetch = async (after, upTo, onTrouble) => {
    const full = await s.fetch(after, upTo, onTrouble);
    const messages: MappedMessage[] = [];
    for (let id = after + 2; id <= upTo && messages.length < PAGE_IDS; id += 2) {
      messages.push({ message: { id } as MappedMessage["message"] });
    }
    return {
      ...full,
      messages,
      last: messages.at(-1)?.message.id ?? after,
      more: messages.length === PAGE_IDS,
    };
  };
  const pages: RangePage[] = [];
  const done = fetchRange(0, 600, sparse, (p) => pages.push(p));
  await until(() => pages.some((p) => p.cursor === 600), "the rest fetched while page 0 is held");
  s.release(0);
  assert.equal(await done, 300);
  const all = ids(chained(pages, 0, 600));
  assert.deepEqual(all, Array.from({ length: 300 }, (_, i) => 2 * (i + 1)));
});

Deno.test("fetchRange: no split when less than three pages' ids are left; a failure surfaces after the rest", async () => {
  const s = new Script([0]);
  const pages: RangePage[] = [];
  const done = fetchRange(0, 250, s.fetch, (p) => pages.push(p));
  await until(() => s.holding(0), "page 0 held");
  assert.deepEqual(s.asked.map((a) => a.after), [0], "nothing split off a short range");
  s.release(0);
  await done;
  assert.deepEqual(pages.map((p) => p.after), [0, 100, 200]);

  // the held page fails after its rest started: the error is the caller's, once the rest ended
  let restEnded = false;
  const failing: PageFetch = async (after, upTo, onTrouble) => {
    if (after === 0) {
      onTrouble();
      await new Promise((r) => setTimeout(r, 5));
      throw new Error("page 0 failed");
    }
    const p = densePage(after, upTo);
    if (p.last >= upTo) restEnded = true;
    return p;
  };
  await assert.rejects(fetchRange(0, 1000, failing, () => {}), /page 0 failed/);
  assert.ok(restEnded, "the split-off fetch had ended before the call failed");
});
