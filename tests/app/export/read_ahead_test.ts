import assert from "node:assert/strict";
import { readAhead } from "../../../lib/app/export/read_ahead.ts";

/** A feed of `n` pages, each produced when the test asks; it counts what was read. */
function _feed(n: number) {
  const state = { read: 0, closed: false };
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= n; i++) {
        state.read = i;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, feed: gen() };
}

/** Lets every pending promise callback run (no timers). */
async function _settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

Deno.test("readAhead: pages arrive `depth` ahead of a consumer that is still on the first one", async () => {
  const { state, feed } = _feed(20);
  const arrived: number[] = [];
  const it = readAhead(feed, (p) => arrived.push(p), 5);
  const first = await it.next();
  assert.equal(first.value, 1);
  await _settle();
  // the consumer holds page 1 (its media may be waiting out a FLOOD_WAIT): pages 2..6 are
  // already read and their downloads started (one page ahead, as before, started only page 2)
  assert.deepEqual(arrived, [1, 2, 3, 4, 5, 6]);
  assert.ok(state.read <= 7, `read ${state.read}`);
  const rest: number[] = [];
  for await (const p of it) rest.push(p);
  assert.deepEqual(rest, Array.from({ length: 19 }, (_, i) => i + 2));
  assert.deepEqual(arrived, Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(state.closed);
});

Deno.test("readAhead: a consumer that stops early closes the feed; a failed read is thrown in order", async () => {
  const { state, feed } = _feed(20);
  for await (const p of readAhead(feed, () => {}, 4)) if (p === 2) break;
  assert.ok(state.closed, "the feed was closed");

  async function* failing(): AsyncGenerator<number> {
    yield 1;
    yield 2;
    throw new Error("shard failed");
  }
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const p of readAhead(failing(), () => {}, 4)) seen.push(p);
    })(),
    /shard failed/,
  );
  assert.deepEqual(seen, [1, 2]);
});

Deno.test("readAhead: by default 32 pages are read ahead, so their downloads have time to wait out faults", async () => {
  const { feed } = _feed(50);
  const arrived: number[] = [];
  const it = readAhead(feed, (p) => arrived.push(p));
  await it.next();
  await _settle();
  assert.equal(arrived.length, 1 + 32);
  await it.return(undefined);
});
