import assert from "node:assert/strict";
import { ProgressEditor } from "../../../lib/app/bot/progress_editor.ts";

/** A clock whose timers fire only when the test moves time. */
function manualClock() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => t,
    after(ms: number, fn: () => void) {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    advance(ms: number) {
      t += ms;
      for (const timer of timers) if (timer.live && timer.at <= t) (timer.live = false, timer.fn());
    },
  };
}

Deno.test("ProgressEditor: at most one edit per interval, the newest text wins, no repeats, final always", async () => {
  const clock = manualClock();
  const sent: string[] = [];
  const ed = new ProgressEditor((t) => Promise.resolve(void sent.push(t)), { intervalMs: 1000, clock });
  ed.update("1%");
  ed.update("2%");
  ed.update("3%");
  await Promise.resolve();
  assert.deepEqual(sent, ["1%"]);
  clock.advance(999);
  assert.deepEqual(sent, ["1%"]);
  clock.advance(1);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(sent, ["1%", "3%"]);
  clock.advance(5000);
  ed.update("3%"); // unchanged: not sent again
  ed.update("9%"); // the interval has passed: at once
  ed.update("10%"); // within the interval: waits, then the final text replaces it
  clock.advance(10);
  await ed.finish("done");
  ed.update("late");
  clock.advance(5000);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(sent, ["1%", "3%", "9%", "done"]);
});

Deno.test("ProgressEditor: a failed edit is reported and the next one still goes out", async () => {
  const clock = manualClock();
  const errors: unknown[] = [];
  const sent: string[] = [];
  let fail = true;
  const ed = new ProgressEditor((t) => {
    if (fail) {
      fail = false;
      return Promise.reject(new Error("FLOOD_WAIT_3"));
    }
    sent.push(t);
    return Promise.resolve();
  }, { intervalMs: 1000, clock, onError: (e) => errors.push(e) });
  ed.update("a");
  await ed.finish("b");
  assert.equal(errors.length, 1);
  assert.deepEqual(sent, ["b"]);
});
