import assert from "node:assert/strict";
import { EVENT_SCHEMA } from "../../lib/progress/event_schema.ts";
import { validateEvent } from "../../lib/progress/validate_event.ts";
import type { EventBody, EventType, TgpipeEvent } from "../../lib/progress/events.ts";
import { EventBus } from "../../lib/progress/event_bus.ts";

const err = { code: "FLOOD_WAIT", message: "Flood wait of 3s", data: { seconds: 3 } };

// One typed sample per type, every optional field set. The mapped type makes adding a type to
// EventBody without a sample here a compile error (the exhaustiveness check).
const FULL: { [T in EventType]: Required<Extract<EventBody, { type: T }>> } = {
  start: { type: "start", command: "export", job: "j1", total_items: 3, total_bytes: 3000 },
  item_start: { type: "item_start", item: "m1", name: "a.jpg", total_bytes: 1000 },
  item_progress: {
    type: "item_progress",
    item: "m1",
    done_bytes: 500,
    total_bytes: 1000,
    done_count: 40,
    total_count: 400,
    unit: "messages",
  },
  item_stage: { type: "item_stage", item: "u1", stage: "merge", detail: "Merger" },
  item_done: { type: "item_done", item: "m1", name: "a.jpg", bytes: 1000, path: "out/a.jpg", skipped: false },
  item_failed: { type: "item_failed", item: "m2", error: err },
  pause: {
    type: "pause",
    reason: "flood_wait",
    seconds: 3,
    account: "+15551234567",
    method: "upload.getFile",
  },
  resume: { type: "resume", reason: "flood_wait", account: "+15551234567" },
  retry: { type: "retry", item: "m2", attempt: 2, delay_ms: 250, error: err },
  sync_stage: { type: "sync_stage", item: "1/2", stage: "uploaded", bytes: 10, path: "c/2.bin", hash: "md5" },
  upload_progress: { type: "upload_progress", item: "1/2", done_bytes: 5, total_bytes: 10 },
  state_saved: {
    type: "state_saved",
    where: "file",
    watermark: 12,
    files_uploaded: 3,
    status: "stopped",
    path: "/tmp/s.json",
  },
  log: { type: "log", level: "debug", message: "hello" },
  warning: { type: "warning", code: "NO_MEDIA", message: "no media", item: "m3" },
  result: { type: "result", kind: "config", data: { a: [1, 2] } },
  serve_listen: { type: "serve_listen", url: "http://127.0.0.1:8080", public: false },
  bot_ready: { type: "bot_ready", username: "media_bot", admin_url: "http://127.0.0.1:8081" },
  broadcast_progress: {
    type: "broadcast_progress",
    broadcast: "1700000000000-a1b2c3d4e5",
    sent: 3,
    failed: 1,
    blocked: 2,
    total: 9,
    done: true,
  },
  http_access: {
    type: "http_access",
    method: "GET",
    path: "/f/chan/42/a.mp4",
    status: 206,
    bytes: 1000,
    ms: 12,
    client: "127.0.0.1",
    range: "bytes=0-999",
  },
  error: { type: "error", error: err, exit_code: 1 },
  done: {
    type: "done",
    command: "export",
    exit_code: 0,
    items_done: 2,
    items_failed: 1,
    items_skipped: 0,
    bytes: 2000,
    elapsed_ms: 1234,
  },
};

function stamp(body: EventBody): TgpipeEvent {
  const events: TgpipeEvent[] = [];
  const bus = new EventBus({ now: () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)) });
  bus.add({ write: (e) => events.push(e), close() {} });
  bus.emit(body);
  void bus.close(); // delivers a held `done` at once
  return events[0];
}

Deno.test("the bus holds `done` back until it closes, so it stays the last event", async () => {
  const types: string[] = [];
  const bus = new EventBus();
  bus.add({ write: (e) => types.push(e.type), close() {} });
  bus.emit(FULL.done);
  bus.emit(FULL.result);
  assert.deepEqual(types, ["result"]);
  await bus.close();
  assert.deepEqual(types, ["result", "done"]);
});

Deno.test("schema lists exactly the EventBody types, in union order", () => {
  assert.deepEqual(EVENT_SCHEMA.map((t) => t.type), Object.keys(FULL));
});

Deno.test("schema lists exactly the fields of each typed sample", () => {
  for (const t of EVENT_SCHEMA) {
    const sampleKeys = Object.keys(FULL[t.type]).filter((k) => k !== "type").sort();
    assert.deepEqual(t.fields.map((f) => f.name).sort(), sampleKeys, t.type);
  }
});

Deno.test("a stamped sample of every type, with all fields, validates", () => {
  for (const body of Object.values(FULL)) {
    assert.deepEqual(validateEvent(stamp(body)), [], body.type);
  }
});

Deno.test("a sample of every type with only its required fields validates", () => {
  for (const t of EVENT_SCHEMA) {
    const full = FULL[t.type] as Record<string, unknown>;
    const minimal: Record<string, unknown> = { type: t.type };
    for (const f of t.fields) if (f.required) minimal[f.name] = full[f.name];
    assert.deepEqual(validateEvent(stamp(minimal as EventBody)), [], t.type);
  }
});

Deno.test("validateEvent reports a missing required field", () => {
  const e = stamp(FULL.done) as Record<string, unknown>;
  delete e.bytes;
  assert.deepEqual(validateEvent(e), ['done: missing required field "bytes"']);
});

Deno.test("validateEvent rejects a bad envelope", () => {
  assert.deepEqual(validateEvent([]), ["event is not a JSON object"]);
  assert.deepEqual(validateEvent(null), ["event is not a JSON object"]);
  const e = { ...stamp(FULL.log), v: 2, ts: "yesterday" };
  const problems = validateEvent(e);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^v must be 1/);
  assert.match(problems[1], /^ts must be an ISO 8601/);
  assert.match(validateEvent({ ...stamp(FULL.log), ts: "2025-01-02 03:04:05" })[0], /^ts must/);
});

Deno.test("validateEvent rejects an unknown type and an unknown field", () => {
  assert.deepEqual(validateEvent({ ...stamp(FULL.log), type: "progress" }), [
    'unknown event type "progress"',
  ]);
  assert.deepEqual(validateEvent({ ...stamp(FULL.log), extra: 1 }), ['log: unknown field "extra"']);
});

Deno.test("validateEvent checks field types, enums and the error object", () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...stamp(FULL.start), total_items: 1.5 }, /^start\.total_items: expected integer, got number$/],
    [{ ...stamp(FULL.start), command: 7 }, /^start\.command: expected string, got number$/],
    [{ ...stamp(FULL.item_done), skipped: "yes" }, /^item_done\.skipped: expected boolean/],
    [{ ...stamp(FULL.pause), reason: "coffee" }, /^pause\.reason: must be one of flood_wait/],
    [{ ...stamp(FULL.pause), seconds: "3" }, /^pause\.seconds: expected number, got string$/],
    [{ ...stamp(FULL.log), level: "trace" }, /^log\.level: must be one of debug, info$/],
    [{ ...stamp(FULL.error), error: "boom" }, /^error\.error: expected error object, got string$/],
    [{ ...stamp(FULL.error), error: { code: "X" } }, /error\.message must be a string/],
    [{ ...stamp(FULL.error), error: { ...err, data: [] } }, /error\.data must be an object/],
    [{ ...stamp(FULL.error), error: { ...err, stack: "at x" } }, /unknown error field "stack"/],
    [{ ...stamp(FULL.done), exit_code: null }, /^done\.exit_code: expected integer, got null$/],
  ];
  for (const [event, want] of cases) {
    const problems = validateEvent(event);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0], want);
  }
});

Deno.test("pause.seconds accepts fractions; result.data accepts any JSON value", () => {
  assert.deepEqual(validateEvent({ ...stamp(FULL.pause), seconds: 0.5 }), []);
  assert.deepEqual(validateEvent({ ...stamp(FULL.result), data: null }), []);
});
