import assert from "node:assert/strict";
import { importWithResend } from "../../lib/telegram/import_resend.ts";

/** A manual clock: timers run when the test says so. */
function _timers() {
  const list: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  return {
    list,
    schedule: (fn: () => void, ms: number) => {
      const t = { fn, ms, live: true };
      list.push(t);
      return () => void (t.live = false);
    },
    /** Runs the live timer of `ms`. */
    fire(ms: number) {
      const t = list.find((x) => x.live && x.ms === ms)!;
      t.live = false;
      t.fn();
    },
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));
const never = () => new Promise<never>(() => {});

Deno.test("importWithResend: an import with no answer is sent again with a fresh token, the first answer wins", async () => {
  // before, a lost import failed the opening after two timeouts and the next made a new key first
  const clock = _timers();
  const sent: string[] = [];
  let exports = 0;
  const p = importWithResend({
    first: Promise.resolve("t0"),
    exportToken: () => Promise.resolve(`t${++exports}`),
    send: (t) => (sent.push(t), t === "t0" ? never() : Promise.resolve("ok")),
    waitMs: () => 400,
    maxMs: 60_000,
    what: "import",
    schedule: clock.schedule,
  });
  await tick();
  assert.deepEqual(sent, ["t0"]);
  clock.fire(400);
  await p;
  assert.deepEqual(sent, ["t0", "t1"]);
  assert.ok(clock.list.every((t) => !t.live), "no timer left running");
});

Deno.test("importWithResend: waits double; a failed import is replaced at once; all failed is the error", async () => {
  const clock = _timers();
  const sent: string[] = [];
  let exports = 0;
  const p = importWithResend({
    first: Promise.resolve("t0"),
    exportToken: () => Promise.resolve(`t${++exports}`),
    send: (t) => {
      sent.push(t);
      return t === "t0" ? never() : Promise.reject(new Error(`AUTH_BYTES_INVALID ${t}`));
    },
    waitMs: () => 300,
    maxMs: 60_000,
    what: "import",
    schedule: clock.schedule,
  });
  await tick();
  clock.fire(300); // t0 unanswered: t1, which fails while t0 is still in flight
  await tick();
  assert.deepEqual(sent, ["t0", "t1"]);
  assert.ok(clock.list.some((t) => t.live && t.ms === 600), "the next wait is doubled");
  clock.fire(600); // t2 fails too; t0 is still in flight: no error yet
  await tick();
  assert.deepEqual(sent, ["t0", "t1", "t2"]);
  clock.fire(60_000);
  await assert.rejects(p, /import timed out/);
});

Deno.test("importWithResend: when every import failed and none is left, the last failure is the answer", async () => {
  const clock = _timers();
  let n = 0;
  await assert.rejects(
    importWithResend({
      first: Promise.resolve(0),
      exportToken: () => Promise.resolve(++n),
      send: (t) => Promise.reject(new Error(`failed ${t}`)),
      waitMs: () => 300,
      attempts: 3,
      maxMs: 60_000,
      what: "import",
      schedule: clock.schedule,
    }),
    /failed 2/,
  );
});
