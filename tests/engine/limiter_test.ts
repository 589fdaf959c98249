import assert from "node:assert/strict";
import { Limiter } from "../../lib/engine/limiter.ts";

/** Tasks that run until the test finishes them; `running` counts those started and not finished. */
function tasks(limiter: Limiter, n: number) {
  const finish: Array<() => void> = [];
  let running = 0, peak = 0;
  const done = Promise.all(
    Array.from({ length: n }, () =>
      limiter.run(() => {
        peak = Math.max(peak, ++running);
        return new Promise<void>((r) => finish.push(() => (running--, r())));
      })),
  );
  // lets the started tasks reach their first await (a few microtask turns)
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { finish, done, settle, running: () => running, peak: () => peak };
}

Deno.test("Limiter: at most n holders, FIFO", async () => {
  const t = tasks(new Limiter(3), 7);
  await t.settle();
  assert.equal(t.running(), 3);
  t.finish.shift()!();
  await t.settle();
  assert.equal(t.running(), 3);
  while (t.finish.length > 0) (t.finish.shift()!(), await t.settle());
  await t.done;
  assert.equal(t.peak(), 3);
});

Deno.test("Limiter: a slow start allows `start` holders, one more per finished one, up to n", async () => {
  const t = tasks(new Limiter(6, { start: 2 }), 12);
  await t.settle();
  // before, all 6 started at once
  assert.equal(t.running(), 2);
  t.finish.shift()!(); // one finished: room for 3
  await t.settle();
  assert.equal(t.running(), 3);
  t.finish.shift()!(); // room for 4
  await t.settle();
  assert.equal(t.running(), 4);
  t.finish.shift()!(); // 5
  t.finish.shift()!(); // 6: the most
  await t.settle();
  assert.equal(t.running(), 6);
  t.finish.shift()!();
  await t.settle();
  assert.equal(t.running(), 6, "no more than n");
  while (t.finish.length > 0) (t.finish.shift()!(), await t.settle());
  await t.done;
  assert.equal(t.peak(), 6);
});

Deno.test("Limiter: a free slot goes to the lowest priority waiting, equal ones in order", async () => {
  const limiter = new Limiter(1);
  const order: number[] = [];
  let release!: () => void;
  const first = limiter.run(() => new Promise<void>((r) => (release = r)));
  const waiting = [50, 7, 30, 7, 1].map((p, i) => limiter.run(() => (order.push(i), Promise.resolve()), p));
  release();
  await Promise.all([first, ...waiting]);
  // priorities 1, 7, 7, 30, 50: the two 7s in the order they came
  assert.deepEqual(order, [4, 1, 3, 2, 0]);
});
