import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { StoppedError } from "../../lib/core/errors.ts";
import { type CliIo, type CliState, makeAction } from "../../lib/cli/runtime.ts";

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
