import assert from "node:assert/strict";
import { applyBarEvent, doneBytes, movingSpeed, newBarState } from "../../lib/progress/bar_state.ts";
import { ev } from "./_events.ts";

const MiB = 1024 * 1024;

Deno.test("bar state counts items and bytes, finished and in flight", () => {
  const s = newBarState();
  applyBarEvent(s, ev({ type: "start", command: "download", total_items: 3, total_bytes: 30 * MiB }), 0);
  applyBarEvent(s, ev({ type: "item_start", item: "a", name: "a.mp4", total_bytes: 10 * MiB }), 0);
  applyBarEvent(s, ev({ type: "item_start", item: "b", name: "b.mp4" }), 0);
  applyBarEvent(s, ev({ type: "item_progress", item: "a", done_bytes: 4 * MiB }), 1000);
  applyBarEvent(s, ev({ type: "item_progress", item: "b", done_bytes: 1 * MiB, total_bytes: 5 * MiB }), 1000);
  assert.equal(doneBytes(s), 5 * MiB);
  assert.equal(s.items.get("b")?.total, 5 * MiB);
  applyBarEvent(s, ev({ type: "item_done", item: "a", bytes: 10 * MiB }), 2000);
  applyBarEvent(s, ev({ type: "item_failed", item: "b", error: { code: "X", message: "x" } }), 2000);
  applyBarEvent(s, ev({ type: "item_done", item: "c", skipped: true }), 2000);
  assert.deepEqual([s.itemsDone, s.itemsFailed, s.itemsSkipped, s.items.size], [1, 1, 1, 0]);
  assert.equal(doneBytes(s), 10 * MiB);
  assert.equal(s.finished, false);
  applyBarEvent(
    s,
    ev({
      type: "done",
      command: "download",
      exit_code: 3,
      items_done: 1,
      items_failed: 1,
      items_skipped: 1,
      bytes: 10,
      elapsed_ms: 2000,
    }),
    2000,
  );
  assert.equal(s.finished, true);
});

Deno.test("progress for an unknown item is ignored", () => {
  const s = newBarState();
  applyBarEvent(s, ev({ type: "item_progress", item: "ghost", done_bytes: 5 }), 0);
  assert.equal(doneBytes(s), 0);
});

Deno.test("pauses: keyed by account, ended by resume or by their deadline", () => {
  const s = newBarState();
  applyBarEvent(s, ev({ type: "pause", reason: "flood_wait", seconds: 10, account: "+1555" }), 0);
  applyBarEvent(s, ev({ type: "pause", reason: "flood_wait", seconds: 3, account: "+4477" }), 0);
  applyBarEvent(s, ev({ type: "pause", reason: "disk_budget", seconds: 60 }), 0);
  assert.deepEqual([...s.pauses.keys()], ["+1555", "+4477", "disk_budget"]);
  assert.equal(s.pauses.get("+1555")?.until, 10_000);
  applyBarEvent(s, ev({ type: "resume", reason: "flood_wait", account: "+1555" }), 1000);
  assert.deepEqual([...s.pauses.keys()], ["+4477", "disk_budget"]);
  applyBarEvent(s, ev({ type: "log", level: "debug", message: "tick" }), 3000);
  assert.deepEqual([...s.pauses.keys()], ["disk_budget"], "expired pause dropped");
  applyBarEvent(s, ev({ type: "resume", reason: "disk_budget" }), 4000);
  assert.equal(s.pauses.size, 0);
});

Deno.test("movingSpeed averages over the last 5 s and decays when the transfer stalls", () => {
  const s = newBarState();
  applyBarEvent(s, ev({ type: "item_start", item: "a", name: "a" }), 0);
  // 1 MiB/s for 10 s, then 3 MiB/s for 5 s, with progress every 50 ms.
  let bytes = 0;
  for (let t = 50; t <= 15_000; t += 50) {
    bytes += t <= 10_000 ? MiB / 20 : (3 * MiB) / 20;
    applyBarEvent(s, ev({ type: "item_progress", item: "a", done_bytes: bytes }), t);
  }
  const item = s.items.get("a")!;
  assert.ok(item.samples.length <= 60, `samples bounded, got ${item.samples.length}`);
  const now = movingSpeed(item.samples, 15_000)!;
  assert.ok(Math.abs(now / MiB - 3) < 0.1, `recent speed ≈ 3 MiB/s, got ${now / MiB}`);
  assert.ok(Math.abs(movingSpeed(s.samples, 15_000)! / MiB - 3) < 0.1, "overall speed follows too");
  // Nothing arrives for 10 s: the window holds no progress and the speed drops to 0.
  assert.equal(movingSpeed(item.samples, 25_000), 0);
  assert.ok(movingSpeed(item.samples, 17_500)! < now, "half a window later it is lower");
});

Deno.test("movingSpeed is undefined without enough history", () => {
  assert.equal(movingSpeed([], 1000), undefined);
  assert.equal(movingSpeed([{ t: 1000, bytes: 0 }], 1200), undefined);
  assert.equal(movingSpeed([{ t: 0, bytes: 0 }, { t: 1000, bytes: 2048 }], 1000), 2048);
});
