import assert from "node:assert/strict";
import { RtoEstimator, type RtoOptions } from "../../lib/telegram/rto_estimator.ts";

/** An estimator on a clock the test moves; `answer(ms, bytes)` is one request answered after ms. */
function _est(opts: Omit<RtoOptions, "now"> = {}) {
  let t = 1000;
  const rto = new RtoEstimator({ ...opts, now: () => t });
  const answer = (ms: number, bytes = 0) => {
    const s = rto.start();
    t += ms;
    rto.observe(s, bytes);
  };
  return { rto, answer };
}

Deno.test("RtoEstimator: before any answer it gives the initial timeout", () => {
  assert.equal(_est().rto.timeoutMs(), 2000);
  assert.equal(_est({ initialMs: 7000 }).rto.timeoutMs(), 7000);
  assert.equal(_est().rto.srttMs, undefined);
});

Deno.test("RtoEstimator: steady fast answers bring the timeout down to the floor", () => {
  const { rto, answer } = _est({ floorMs: 500 });
  for (let i = 0; i < 50; i++) answer(30);
  assert.ok(Math.abs(rto.srttMs! - 30) < 1, `srtt ${rto.srttMs}`);
  assert.equal(rto.timeoutMs(), 500);
});

Deno.test("RtoEstimator: by default a steady 30 ms link hedges after 400 ms, not after 2 s", () => {
  const { rto, answer } = _est();
  for (let i = 0; i < 50; i++) answer(30);
  assert.equal(rto.timeoutMs(), 400);
});

Deno.test("RtoEstimator: the floor follows the network: at least 4 smoothed RTTs however steady", () => {
  const { rto, answer } = _est({ floorMs: 100 });
  for (let i = 0; i < 200; i++) answer(250); // rttvar decays to ~0: srtt + 4 × rttvar ≈ 250
  assert.ok(Math.abs(rto.timeoutMs() - 1000) <= 2, `timeout ${rto.timeoutMs()}`);
  // fewer RTTs when asked
  const { rto: r3, answer: a3 } = _est({ floorMs: 10, floorRtts: 2 });
  for (let i = 0; i < 200; i++) a3(250);
  assert.ok(Math.abs(r3.timeoutMs() - 500) <= 2, `timeout ${r3.timeoutMs()}`);
});

Deno.test("RtoEstimator: slow and jittery answers raise it as srtt + 4 × rttvar (RFC 6298)", () => {
  const { rto, answer } = _est({ floorMs: 100, floorRtts: 1 });
  answer(1000); // srtt 1000, rttvar 500
  assert.equal(rto.timeoutMs(), 3000);
  answer(2000); // rttvar 0.75*500 + 0.25*1000 = 625, srtt 875 + 250 = 1125
  assert.equal(rto.timeoutMs(), 1125 + 4 * 625);
});

Deno.test("RtoEstimator: big answers add their transfer time at the rate seen", () => {
  const { rto, answer } = _est({ floorMs: 10 });
  for (let i = 0; i < 30; i++) answer(20); // latency 20 ms, no jitter
  for (let i = 0; i < 30; i++) answer(20 + 128, 1 << 20); // 1 MB in ~148 ms
  const small = rto.timeoutMs();
  const big = rto.timeoutMs(1 << 20);
  assert.ok(small < 100, `small ${small}`);
  // twice the transfer time (a safety factor) on top: at least 2 × 128 ms, and not absurd
  assert.ok(big >= small + 256 && big < small + 400, `small ${small}, big ${big}`);
});

Deno.test("RtoEstimator: the timeout stays between the floor and the maximum", () => {
  const { rto, answer } = _est({ floorMs: 2000, maxMs: 10_000 });
  answer(1);
  assert.equal(rto.timeoutMs(), 2000);
  answer(60_000);
  assert.equal(rto.timeoutMs(), 10_000);
  // a maximum under the floor: the floor wins (the caller caps hedges by its own maximum)
  assert.equal(_est({ floorMs: 2000, maxMs: 500 }).rto.timeoutMs(), 2000);
});

Deno.test("RtoEstimator: before a big answer taught the rate, a big answer still gets its transfer time", () => {
  // a file DC not heard from yet starts from the main connection's short estimate: its first
  // 1 MB parts must not be sent twice for want of a rate (1 MB/s assumed: 2 × 1 s on top)
  const { rto } = _est({ initialMs: 400 });
  assert.equal(rto.timeoutMs(), 400);
  assert.equal(rto.timeoutMs(1 << 20), 400 + 2000);
  const { rto: r2, answer } = _est({ floorMs: 10 });
  for (let i = 0; i < 30; i++) answer(30); // small answers only: still no rate
  assert.ok(r2.timeoutMs(1 << 20) >= 2000, `${r2.timeoutMs(1 << 20)}`);
});

Deno.test("RtoEstimator: a lone small request is given floorRtts × the lowest latency, not the queue's timeout", () => {
  // the main connection's answers wait behind history pages: its timeout grew to seconds while a
  // lone import on a new connection is answered within a round trip
  let t = 0;
  const e = new RtoEstimator({ now: () => t, initialMs: 2000 });
  assert.equal(e.idleTimeoutMs(), 2000, "before any answer: the initial timeout");
  for (const ms of [40, 900, 1500, 600, 1200, 35]) {
    const s = e.start();
    t += ms;
    e.observe(s);
  }
  assert.ok(e.timeoutMs() > 1500, `the smoothed timeout ${e.timeoutMs()}`);
  assert.equal(e.idleTimeoutMs(), 400, "4 × 35 ms, raised to the 400 ms floor");
  const slow = new RtoEstimator({ now: () => t });
  const s = slow.start();
  t += 300;
  slow.observe(s);
  assert.equal(slow.idleTimeoutMs(), 1200);
});

Deno.test("loneTimeoutMs: the idle latency allowance plus the transfer at the rate learnt, not the busy estimate", () => {
  let now = 0;
  const rto = new RtoEstimator({ now: () => now });
  // answers that waited behind others: a smoothed latency of ~1 s; the fastest one took 30 ms
  for (const ms of [30, 1500, 1200, 1400]) (now += ms, rto.observe(now - ms));
  const mb = 1024 * 1024;
  rto.observe((now += 500) - 500, mb); // 1 MB in 0.5 s: ~2 MB/s
  assert.ok(rto.timeoutMs(mb) > 2000, `busy estimate ${rto.timeoutMs(mb)}`);
  // 4 × 30 ms floored at 400, plus 2 × ~0.5 s of transfer
  const lone = rto.loneTimeoutMs(mb);
  assert.ok(lone >= 1300 && lone <= 1500, `lone ${lone}`);
  assert.equal(rto.loneTimeoutMs(), 400);
});

Deno.test("RtoEstimator: provisional until an answer (and, for big answers, a rate) was seen; onLearn hears each answer", () => {
  const { rto, answer } = _est({ initialMs: 400 });
  const heard: number[] = [];
  const stop = rto.onLearn(() => heard.push(rto.timeoutMs(1 << 20)));
  assert.ok(rto.provisional() && rto.provisional(1 << 20));
  answer(30); // a small answer: the latency is known, the rate is not
  assert.ok(!rto.provisional() && rto.provisional(1 << 20));
  assert.equal(heard.length, 1);
  answer(100, 1 << 20); // a 1 MB answer teaches the rate
  assert.ok(!rto.provisional(1 << 20));
  assert.equal(heard.length, 2);
  stop();
  answer(30);
  assert.equal(heard.length, 2, "not told after stop");
});
