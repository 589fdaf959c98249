// ANSI escape sequences are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { applyBarEvent, type BarState, newBarState } from "../../lib/progress/bar_state.ts";
import { renderBars } from "../../lib/progress/render_bars.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import { ev } from "./_events.ts";

const MiB = 1024 * 1024;
const strip = (s: string) => s.replaceAll(/\x1b\[[0-9;]*m/g, "");

function build(steps: Array<[number, EventBody]>): BarState {
  const s = newBarState();
  for (const [t, body] of steps) applyBarEvent(s, ev(body), t);
  return s;
}

/** 4 items planned (40 MiB), one done at once, one at 5 of 10 MiB after 5 s at 1 MiB/s. */
function midway(): BarState {
  const steps: Array<[number, EventBody]> = [
    [0, { type: "start", command: "download", total_items: 4, total_bytes: 40 * MiB }],
    [0, { type: "item_start", item: "a", name: "first.mp4", total_bytes: 10 * MiB }],
    [0, { type: "item_done", item: "a", bytes: 10 * MiB }],
    [0, {
      type: "item_start",
      item: "b",
      name: "holiday-video-with-a-very-long-name-2024.mp4",
      total_bytes: 10 * MiB,
    }],
  ];
  for (let t = 1; t <= 5; t++) {
    steps.push([t * 1000, { type: "item_progress", item: "b", done_bytes: t * MiB }]);
  }
  return build(steps);
}

Deno.test("renderBars: overall line with items, bytes, speed and ETA", () => {
  const [overall] = renderBars(midway(), 5000, 120, { color: false });
  assert.match(overall, /^download \[█+░+\] 1\/4 items {2}15\.0 MiB\/40\.0 MiB {2}1\.0 MiB\/s {2}ETA 0:25$/);
  // 15 of 40 MiB = 37.5 % of a 30-cell bar.
  assert.equal(overall.match(/█/g)?.length, 11);
  assert.equal(overall.match(/░/g)?.length, 19);
});

Deno.test("renderBars: one line per item in flight with name, bar, bytes, speed and ETA", () => {
  const lines = renderBars(midway(), 5000, 120, { color: false });
  assert.equal(lines.length, 2);
  assert.match(
    lines[1],
    /^ {2}holiday-v…-long-name-2024\.mp4 \[█+░+\] 5\.0 MiB\/10\.0 MiB {2}1\.0 MiB\/s {2}ETA 0:05$/,
  );
});

Deno.test("renderBars: long names that share their start are cut in the middle, so they stay apart", () => {
  const state = newBarState();
  const now = 0;
  applyBarEvent(state, ev({ type: "start", command: "download", total_items: 2 }), now);
  for (const id of [101, 102]) {
    const name = `A chat with a rather long title/2024-05/${id}-photo.jpg`;
    applyBarEvent(state, ev({ type: "item_start", item: `7/${id}`, name, total_bytes: 10 }), now);
  }
  const [, a, b] = renderBars(state, now, 80, { color: false });
  const nameOf = (line: string) => line.trim().split(" [")[0];
  assert.notEqual(nameOf(a), nameOf(b));
  assert.match(nameOf(a), /^A chat.*….*1-photo\.jpg$/);
  assert.match(nameOf(b), /….*2-photo\.jpg$/);
});

Deno.test("renderBars: every line fits in width - 1 columns, down to narrow terminals", () => {
  for (const width of [200, 120, 80, 60, 40, 20, 5]) {
    for (const line of renderBars(midway(), 5000, width, { color: true })) {
      assert.ok([...strip(line)].length <= Math.max(20, width) - 1, `${width}: ${strip(line)}`);
    }
  }
  // Too narrow for a bar: the numbers stay, the bar goes.
  assert.doesNotMatch(renderBars(midway(), 5000, 50, { color: false })[0], /█/);
});

Deno.test("renderBars: ANSI colors only when color is on", () => {
  const plain = renderBars(midway(), 5000, 120, { color: false }).join("\n");
  const colored = renderBars(midway(), 5000, 120, { color: true }).join("\n");
  assert.doesNotMatch(plain, /\x1b/);
  assert.match(colored, /\x1b\[32m█+\x1b\[0m/);
  assert.equal(strip(colored), plain);
});

Deno.test("renderBars: a flood wait counts down live and shows a shortened account", () => {
  const s = build([
    [0, { type: "start", command: "export" }],
    [0, {
      type: "pause",
      reason: "flood_wait",
      seconds: 12,
      account: "+15551234567",
      method: "messages.getHistory",
    }],
  ]);
  const at = (now: number) => renderBars(s, now, 120, { color: false })[1];
  assert.equal(at(0), "  paused 12s: flood wait (account +1555…) on messages.getHistory");
  assert.equal(at(4500), "  paused 8s: flood wait (account +1555…) on messages.getHistory");
  assert.doesNotMatch(
    renderBars(s, 12_000, 120, { color: false }).join("\n"),
    /paused/,
    "gone at its deadline",
  );
  assert.doesNotMatch(at(0), /1234567/, "the full phone number is never drawn");
});

Deno.test("renderBars: without totals there is no bar and no ETA, speed shows – until known", () => {
  const s = build([
    [0, { type: "start", command: "sync" }],
    [0, { type: "item_start", item: "x", name: "x.bin" }],
  ]);
  const lines = renderBars(s, 100, 100, { color: false });
  assert.deepEqual(lines, ["sync 0 items  –/s", "  x.bin    0 B  –/s"]);
});

Deno.test("renderBars: failed items are counted; extra items are summed up", () => {
  const steps: Array<[number, EventBody]> = [[0, { type: "start", command: "upload", total_items: 12 }]];
  for (let i = 0; i < 11; i++) steps.push([0, { type: "item_start", item: `i${i}`, name: `f${i}` }]);
  steps.push([0, { type: "item_failed", item: "i0", error: { code: "X", message: "x" } }]);
  const lines = renderBars(build(steps), 1000, 100, { color: false });
  assert.match(lines[0], /1\/12 items .* {2}1 failed$/);
  assert.equal(lines.length, 1 + 8 + 1);
  assert.equal(lines.at(-1), "  … and 2 more in flight");
});

Deno.test("renderBars: nothing before start and nothing after done", () => {
  assert.deepEqual(renderBars(newBarState(), 0, 80, { color: false }), []);
  const s = midway();
  applyBarEvent(s, ev({ type: "error", error: { code: "X", message: "x" }, exit_code: 1 }), 6000);
  assert.deepEqual(renderBars(s, 6000, 80, { color: false }), []);
});

Deno.test("bars: an item that counts messages shows them, their speed, an ETA and its bytes", () => {
  const s = newBarState();
  const e = (x: Record<string, unknown>) => ({ v: 1, ts: "", ...x }) as never;
  applyBarEvent(s, e({ type: "start", command: "export", total_items: 1 }), 0);
  applyBarEvent(s, e({ type: "item_start", item: "chat:1", name: "News" }), 0);
  for (let t = 1; t <= 6; t++) {
    applyBarEvent(
      s,
      e({
        type: "item_progress",
        item: "chat:1",
        done_bytes: t << 20,
        done_count: t * 100,
        total_count: 1000,
        unit: "messages",
      }),
      t * 1000,
    );
  }
  const line = renderBars(s, 6000, 120, { color: false })[1];
  assert.match(line, /600\/1,000 messages {2}100\/s {2}ETA 0:04 {2}6\.0 MiB/);
});
