import assert from "node:assert/strict";
import { DiskBudget, DiskBudgetError } from "../../lib/engine/disk_budget.ts";
import type { EventBody } from "../../lib/progress/events.ts";

Deno.test("disk budget: reservations never exceed the limit; waiters are served in order once bytes come back", async () => {
  const events: EventBody[] = [];
  const b = new DiskBudget(100, { emit: (e) => events.push(e) });
  const a = await b.reserve(60);
  const order: string[] = [];
  const big = b.reserve(70).then((r) => (order.push("big"), r));
  const small = b.reserve(10).then((r) => (order.push("small"), r));
  await Promise.resolve();
  // the small one fits now, but waits behind the big one: no starvation of big files
  assert.deepEqual(order, []);
  assert.equal(b.used, 60);
  a.release();
  a.release(); // idempotent
  const rb = await big;
  const rs = await small;
  assert.deepEqual(order, ["big", "small"]);
  assert.equal(b.used, 80);
  rb.release();
  rs.release();
  assert.equal(b.used, 0);
  assert.deepEqual(events.map((e) => e.type), ["pause", "resume"]);
});

Deno.test("disk budget: too big for the budget, or for what kept files leave, is a DiskBudgetError; abort frees the queue", async () => {
  const b = new DiskBudget(100);
  await assert.rejects(b.reserve(101), DiskBudgetError);
  const k = await b.reserve(50);
  const waiting = b.reserve(80);
  k.keep();
  await assert.rejects(waiting, DiskBudgetError);
  assert.equal(b.fits(50), true);
  assert.equal(b.fits(51), false);
  const r = await b.reserve(50);
  const ac = new AbortController();
  const aborted = b.reserve(10, ac.signal);
  ac.abort(new Error("stopped"));
  await assert.rejects(aborted, /stopped/);
  r.release();
  assert.equal(b.used, 50);
});
