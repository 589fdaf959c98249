import assert from "node:assert/strict";
import { untilAborted } from "../../lib/core/until_aborted.ts";

Deno.test("untilAborted settles as the promise does while the signal stays quiet", async () => {
  assert.equal(await untilAborted(Promise.resolve(7), new AbortController().signal), 7);
  await assert.rejects(untilAborted(Promise.reject(new Error("boom")), new AbortController().signal), /boom/);
});

Deno.test("untilAborted rejects with the stop's reason at once while the promise is pending", async () => {
  const stop = new AbortController();
  const pending = untilAborted(new Promise<void>(() => {}), stop.signal);
  stop.abort(new Error("stopped"));
  await assert.rejects(pending, /stopped/);
});

Deno.test("untilAborted: a promise that fails after the stop leaves no unhandled rejection", async () => {
  // the wait often fails with the same stop a moment later: before, that rejection went unhandled
  // when the signal had already aborted, and a Ctrl-C'd download exited 1 instead of 75
  for (const abortFirst of [true, false]) {
    const stop = new AbortController();
    let fail!: (e: unknown) => void;
    const p = new Promise<void>((_, reject) => (fail = reject));
    if (abortFirst) stop.abort(new Error("stopped"));
    const waited = untilAborted(p, stop.signal);
    if (!abortFirst) stop.abort(new Error("stopped"));
    await assert.rejects(waited, /stopped/);
    fail(new Error("stopped too"));
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  }
});
