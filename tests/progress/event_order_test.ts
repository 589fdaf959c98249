import assert from "node:assert/strict";
import { checkEventOrder } from "../../lib/progress/event_order.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";

const base = { v: 1, ts: "2026-01-01T00:00:00Z" } as const;
const ev = (e: Record<string, unknown>) => ({ ...base, ...e }) as unknown as TgpipeEvent;

Deno.test("checkEventOrder: a well-formed stream passes; progress without start, after end, done not last fail", () => {
  const good = [
    ev({ type: "log", level: "info", message: "x" }),
    ev({ type: "start", command: "export" }),
    ev({ type: "item_start", item: "a", name: "a" }),
    ev({ type: "item_progress", item: "a", done_bytes: 1 }),
    ev({ type: "item_done", item: "a" }),
    ev({ type: "item_failed", item: "media:1:2", error: { code: "X", message: "x" } }),
    ev({ type: "result", kind: "export", data: {} }),
    ev({
      type: "done",
      command: "export",
      exit_code: 0,
      items_done: 1,
      items_failed: 0,
      items_skipped: 0,
      bytes: 0,
      elapsed_ms: 1,
    }),
  ];
  assert.deepEqual(checkEventOrder(good), []);
  assert.match(
    checkEventOrder([good[1], ev({ type: "item_progress", item: "m", done_bytes: 1 })])[0],
    /not started/,
  );
  assert.match(checkEventOrder([...good.slice(1, 5), good[3]])[0], /after it ended/);
  assert.match(checkEventOrder([good[7], good[1]])[0], /not the last/);
  assert.match(checkEventOrder([good[2]])[0], /before start/);
});
