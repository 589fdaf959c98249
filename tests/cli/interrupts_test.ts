import assert from "node:assert/strict";
import { onInterrupts } from "../../lib/cli/interrupts.ts";
import { StoppedError } from "../../lib/core/errors.ts";
import { ExitCode } from "../../lib/core/exit_codes.ts";

function _fakeProcess() {
  const handlers = new Map<string, Array<() => void>>();
  const exits: number[] = [];
  return {
    handlers,
    exits,
    hooks: {
      listen: (signal: "SIGINT" | "SIGTERM", h: () => void) => {
        handlers.set(signal, [...(handlers.get(signal) ?? []), h]);
      },
      exit: (code: number) => void exits.push(code),
    },
    send: (signal: string) => (handlers.get(signal) ?? []).forEach((h) => h()),
  };
}

Deno.test("first SIGINT aborts with a resumable StoppedError and does not exit", () => {
  const p = _fakeProcess();
  const c = new AbortController();
  onInterrupts(c, p.hooks);
  assert.deepEqual([...p.handlers.keys()].sort(), ["SIGINT", "SIGTERM"]);
  assert.equal(c.signal.aborted, false);
  p.send("SIGINT");
  assert.equal(c.signal.aborted, true);
  assert.ok(c.signal.reason instanceof StoppedError);
  assert.equal(c.signal.reason.exitCode, ExitCode.STOPPED);
  assert.equal(c.signal.reason.reason, "signal");
  assert.deepEqual(p.exits, [], "the first interrupt must leave the command time to save its work");
});

Deno.test("a second interrupt (SIGINT or SIGTERM) exits 75 at once", () => {
  for (const second of ["SIGINT", "SIGTERM"]) {
    const p = _fakeProcess();
    const c = new AbortController();
    onInterrupts(c, p.hooks);
    p.send("SIGTERM");
    assert.equal(c.signal.aborted, true);
    assert.deepEqual(p.exits, []);
    p.send(second);
    assert.deepEqual(p.exits, [ExitCode.STOPPED]);
  }
});

Deno.test("only the signals asked for are listened to", () => {
  const p = _fakeProcess();
  onInterrupts(new AbortController(), { ...p.hooks, signals: ["SIGINT"] });
  assert.deepEqual([...p.handlers.keys()], ["SIGINT"]);
});
