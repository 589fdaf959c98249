import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { StoppedError } from "../../lib/core/errors.ts";
import { type CliIo, type CliState, makeAction, type Runtime } from "../../lib/cli/runtime.ts";
import { FakeTerminal } from "../_helpers/fake_terminal.ts";

Deno.test("on a TTY the closing bars are erased before the error line, which stays on screen", async () => {
  const writes: string[] = [];
  const io: CliIo = {
    stdout: () => {},
    stderr: (t) => writes.push(t),
    env: { XDG_CONFIG_HOME: "/nonexistent-tgpipe", HOME: "/nonexistent-tgpipe" },
    stderrIsTty: true,
    signal: new AbortController().signal,
  };
  const state: CliState = { exitCode: 0 };
  const cmd = new Command("x").action(makeAction(io, state, (rt) => {
    rt.emit({ type: "start", command: "x", total_items: 2 });
    rt.emit({ type: "item_start", item: "a", name: "a", total_bytes: 100 });
    rt.emit({ type: "item_progress", item: "a", done_bytes: 50, total_bytes: 100 });
    return Promise.reject(new StoppedError("Stopped; run the same command again to resume"));
  }));
  await cmd.parseAsync([], { from: "user" });
  assert.equal(state.exitCode, 75);
  const all = writes.join("");
  const errorAt = all.lastIndexOf("error: Stopped; run the same command again to resume");
  assert.ok(errorAt >= 0, all);
  // nothing after the error line moves the cursor up or clears the screen
  const tail = all.slice(errorAt);
  assert.ok(!/\[\d+F/.test(tail) && !tail.includes("\u001b[0J"), JSON.stringify(tail));
});

function _ttyRun(args: string[], body: Parameters<typeof makeAction>[2]) {
  const term = new FakeTerminal();
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: term.write,
    stderr: (t) => {
      stderr.push(t);
      term.write(t);
    },
    env: { XDG_CONFIG_HOME: "/nonexistent-tgpipe", HOME: "/nonexistent-tgpipe", NO_COLOR: "1" },
    stderrIsTty: true,
    signal: new AbortController().signal,
  };
  const state: CliState = { exitCode: 0 };
  const cmd = new Command("x").option("-q, --quiet").action(makeAction(io, state, body));
  return { term, stderr, state, run: () => cmd.parseAsync(args, { from: "user" }) };
}

function _barsThenResult(rt: Runtime, stop: boolean): Promise<number> {
  rt.emit({ type: "start", command: "x", total_items: 2 });
  rt.emit({ type: "item_start", item: "a", name: "a.jpg", total_bytes: 100 });
  rt.emit({ type: "item_progress", item: "a", done_bytes: 50, total_bytes: 100 });
  rt.emit({ type: "warning", code: "W", message: "Careful" });
  rt.result("x", {}, () => "Exported 1 chat into out\n  chat: 3 messages\n");
  if (stop) return Promise.reject(new StoppedError("Stopped; run the same command again to resume"));
  rt.emit({
    type: "done",
    command: "x",
    exit_code: 0,
    items_done: 1,
    items_failed: 0,
    items_skipped: 0,
    bytes: 0,
    elapsed_ms: 1000,
  });
  return Promise.resolve(0);
}

Deno.test("on a TTY a result printed while bars are up stays on screen when they close (also on a stop)", async () => {
  for (const stop of [false, true]) {
    const { term, state, run } = _ttyRun([], (rt) => _barsThenResult(rt, stop));
    await run();
    assert.equal(state.exitCode, stop ? 75 : 0);
    const screen = term.screen;
    const text = screen.join("\n");
    assert.deepEqual(screen.slice(0, 3), [
      "warning: Careful",
      "Exported 1 chat into out",
      "  chat: 3 messages",
    ], text);
    assert.equal(screen.length, 4, text);
    if (stop) assert.equal(screen[3], "error: Stopped; run the same command again to resume");
    else assert.match(screen[3], /^x finished in 1\.0s/);
  }
});

Deno.test("on a TTY --quiet draws no bar: only the result (stdout) and the error line", async () => {
  const { term, stderr, state, run } = _ttyRun(["--quiet"], (rt) => _barsThenResult(rt, true));
  await run();
  assert.equal(state.exitCode, 75);
  assert.deepEqual(stderr, ["error: Stopped; run the same command again to resume\n"]);
  assert.deepEqual(term.screen, [
    "Exported 1 chat into out",
    "  chat: 3 messages",
    "error: Stopped; run the same command again to resume",
  ]);
});
