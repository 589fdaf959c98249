// ANSI escape sequences are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { TtyReporter } from "../../lib/progress/tty_reporter.ts";
import { ev } from "./_events.ts";

const ERASE = /\x1b\[\d+F\x1b\[0J/;

function setup(
  opts: { verbosity?: "quiet" | "normal" | "verbose"; color?: boolean; intervalMs?: number } = {},
) {
  const out: string[] = [];
  let now = 0;
  const r = new TtyReporter((t) => out.push(t), {
    color: opts.color ?? false,
    verbosity: opts.verbosity ?? "normal",
    width: () => 100,
    now: () => now,
    intervalMs: opts.intervalMs ?? 10_000,
  });
  return { r, out, tick: (ms: number) => (now += ms) };
}

Deno.test("tty: draws bars, then erases and redraws them in place", () => {
  const { r, out } = setup();
  try {
    r.write(ev({ type: "start", command: "download", total_items: 1, total_bytes: 100 }));
    r.write(ev({ type: "item_start", item: "a", name: "a.bin", total_bytes: 100 }));
    assert.doesNotMatch(out[0], ERASE, "first frame has nothing to erase");
    assert.match(out.at(-1)!, /^\x1b\[1F\x1b\[0Jdownload .*\n {2}a\.bin .*\n$/);
  } finally {
    r.close();
  }
  assert.equal(out.at(-1), "\x1b[2F\x1b[0J", "close erases the two bar lines");
});

Deno.test("tty: warnings and failures are printed above the bars, then the bars come back", () => {
  const { r, out } = setup({ color: true });
  try {
    r.write(ev({ type: "start", command: "export" }));
    r.write(ev({ type: "warning", code: "NO_MEDIA", message: "Message 7 has no media" }));
    assert.match(out.at(-1)!, /^\x1b\[1F\x1b\[0J\x1b\[33mwarning: Message 7 has no media\x1b\[0m\n.*export/);
    r.write(ev({ type: "item_failed", item: "m9", error: { code: "X", message: "Boom" } }));
    assert.match(out.at(-1)!, /\x1b\[31mfailed m9: Boom\x1b\[0m\n/);
  } finally {
    r.close();
  }
});

Deno.test("tty: item_done and pause lines only in verbose (the bars show them)", () => {
  for (const verbosity of ["normal", "verbose"] as const) {
    const { r, out } = setup({ verbosity });
    try {
      r.write(ev({ type: "start", command: "download" }));
      r.write(ev({ type: "item_done", item: "a", name: "a.bin", bytes: 10 }));
      r.write(ev({ type: "pause", reason: "flood_wait", seconds: 5 }));
      const text = out.join("");
      assert.equal(/done a\.bin/.test(text), verbosity === "verbose", verbosity);
      assert.match(text, /paused 5s: flood wait\n/, "the countdown line is drawn either way");
    } finally {
      r.close();
    }
  }
});

Deno.test("tty: quiet draws no bars and prints only errors", () => {
  const { r, out } = setup({ verbosity: "quiet" });
  try {
    r.write(ev({ type: "start", command: "download", total_items: 1 }));
    r.write(ev({ type: "item_start", item: "a", name: "a.bin" }));
    r.write(ev({ type: "warning", code: "W", message: "careful" }));
    r.write(ev({ type: "error", error: { code: "X", message: "It broke" }, exit_code: 1 }));
  } finally {
    r.close();
  }
  assert.equal(out.join(""), "error: It broke\n");
});

Deno.test("tty: done prints the summary and removes the bars", () => {
  const { r, out } = setup();
  let written = 0;
  try {
    r.write(ev({ type: "start", command: "download", total_items: 1 }));
    r.write(ev({
      type: "done",
      command: "download",
      exit_code: 0,
      items_done: 1,
      items_failed: 0,
      items_skipped: 0,
      bytes: 0,
      elapsed_ms: 1500,
    }));
    assert.equal(out.at(-1), "\x1b[1F\x1b[0Jdownload finished in 1.5s: 1 done, 0 failed, 0 skipped\n");
    written = out.length;
  } finally {
    r.close();
  }
  assert.equal(out.length, written, "close has nothing left to erase");
});

Deno.test("tty: the timer redraws the countdown about every interval and stops on close", async () => {
  const { r, out, tick } = setup({ intervalMs: 5 });
  try {
    r.write(ev({ type: "start", command: "export" }));
    r.write(ev({ type: "pause", reason: "flood_wait", seconds: 30, account: "+15551234567" }));
    const before = out.length;
    tick(2000);
    await new Promise((res) => setTimeout(res, 40));
    assert.ok(out.length > before, "redrawn by the timer");
    assert.match(out.at(-1)!, /paused 28s: flood wait \(account \+1555…\)/);
    const frames = out.length;
    await new Promise((res) => setTimeout(res, 30));
    assert.equal(out.length, frames, "an unchanged frame is not rewritten");
  } finally {
    r.close();
  }
  const closed = out.length;
  await new Promise((res) => setTimeout(res, 30));
  assert.equal(out.length, closed, "no redraw after close");
});

Deno.test("tty: events after close are ignored", () => {
  const { r, out } = setup();
  r.close();
  r.write(ev({ type: "warning", code: "W", message: "late" }));
  assert.deepEqual(out, []);
});
