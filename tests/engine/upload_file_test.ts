import assert from "node:assert/strict";
import { uploadFile } from "../../lib/engine/upload_file.ts";
import { uploadAndSend } from "../../lib/engine/upload_and_send.ts";
import { MAX_UPLOAD_PART, planUpload, TooBigError } from "../../lib/engine/upload_plan.ts";
import { TelegramError } from "../../lib/core/errors.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import { bytesOf, memSource, testServer, until } from "./_upload_helpers.ts";

const MB = 1 << 20;
const LIMITS = { maxParts: 4000 };

Deno.test("planUpload: 512 KiB parts, big above 10 MiB, the part limit from the config", () => {
  assert.deepEqual(planUpload(1000, LIMITS), { partSize: MAX_UPLOAD_PART, totalParts: 1, big: false });
  assert.deepEqual(planUpload(10 * MB, LIMITS), { partSize: MAX_UPLOAD_PART, totalParts: 20, big: false });
  assert.deepEqual(planUpload(10 * MB + 1, LIMITS), { partSize: MAX_UPLOAD_PART, totalParts: 21, big: true });
  assert.equal(planUpload(4000 * MAX_UPLOAD_PART, LIMITS).totalParts, 4000);
  assert.throws(() => planUpload(4000 * MAX_UPLOAD_PART + 1, LIMITS), TooBigError);
  assert.equal(planUpload(4000 * MAX_UPLOAD_PART + 1, { maxParts: 8000 }).totalParts, 4001);
  assert.deepEqual(planUpload(undefined, LIMITS), {
    partSize: MAX_UPLOAD_PART,
    totalParts: undefined,
    big: true,
  });
  assert.throws(() => planUpload(100, LIMITS, { partSize: 3000 }), RangeError);
  assert.equal(planUpload(100 * 1024, LIMITS, { partSize: 32 * 1024 }).totalParts, 4);
});

Deno.test("uploadFile: a big file over two lanes arrives byte for byte; a small one with its md5", async () => {
  const srv = testServer();
  const lanes = [srv.lane("a"), srv.lane("b")];
  const data = bytesOf(11 * MB + 12345);
  const f = await uploadFile(memSource(data), lanes, { item: "x", limits: LIMITS, concurrency: 6 });
  assert.equal(f.big, true);
  assert.equal(f.parts, 23);
  assert.deepEqual(srv.take(f), data);
  assert.equal(lanes[0].count, 23, "the file's own lane carries its parts while it is free");
  const small = bytesOf(700_000, 3);
  const s = await uploadFile(memSource(small), lanes, { item: "y", limits: LIMITS, concurrency: 4 });
  assert.equal(s.big, false);
  assert.match(s.md5!, /^[0-9a-f]{32}$/);
  assert.deepEqual(srv.take(s), small);
  // the server checks the md5: a wrong one is refused
  const t = await uploadFile(memSource(small), lanes, { item: "z", limits: LIMITS, concurrency: 4 });
  assert.throws(() => srv.take({ ...t, md5: "0".repeat(32) }), /MD5_CHECKSUM_INVALID/);
});

Deno.test("uploadFile: unknown size goes big with total -1 until the last part; a short one is small", async () => {
  const srv = testServer();
  const data = bytesOf(12 * MB + 999, 5);
  const f = await uploadFile(memSource(data, { known: false, seekable: false }), [srv.lane("a")], {
    item: "s",
    limits: LIMITS,
    concurrency: 4,
  });
  assert.equal(f.big, true);
  assert.equal(f.size, data.length);
  assert.equal(f.parts, 25);
  const last = srv.calls.filter((c) => c.index === 24);
  assert.ok(last.every((c) => c.totalParts === 25), JSON.stringify(last));
  assert.ok(srv.calls.some((c) => c.totalParts === -1), "earlier parts said -1");
  assert.ok(srv.calls.every((c) => c.totalParts === -1 || c.totalParts === 25));
  assert.deepEqual(srv.take(f), data);
  const short = bytesOf(300_000, 9);
  const s = await uploadFile(memSource(short, { known: false }), [srv.lane("a")], {
    item: "t",
    limits: LIMITS,
    concurrency: 4,
  });
  assert.equal(s.big, false);
  assert.equal(s.size, short.length);
  assert.deepEqual(srv.take(s), short);
  // past the part limit with no size known up front: too big, found while reading
  await assert.rejects(
    uploadFile(memSource(data, { known: false }), [srv.lane("a")], {
      item: "u",
      limits: { maxParts: 20 },
      concurrency: 2,
    }),
    TooBigError,
  );
  await assert.rejects(
    uploadFile(memSource(new Uint8Array(0), { known: false }), [srv.lane("a")], {
      item: "e",
      limits: LIMITS,
      concurrency: 2,
    }),
    /empty/,
  );
});

Deno.test("uploadFile: a slow part holds no other part; a FLOOD_WAIT moves parts to the free lane", async () => {
  const srv = testServer();
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const slow = srv.lane("slow", async (p) => {
    if (p.index === 0) await held;
  });
  const data = bytesOf(11 * MB, 2);
  const done = uploadFile(memSource(data), [slow], { item: "x", limits: LIMITS, concurrency: 4 });
  // every other part is saved while part 0 is still held
  await until(() => slow.count === 22, "the other 21 parts sent");
  release();
  assert.deepEqual(srv.take(await done), data);

  const srv2 = testServer();
  const flooded = srv2.lane("flooded", () => {
    flooded.paused = Date.now() + 3_600_000;
    throw new TelegramError(420, "FLOOD_WAIT_3600", "upload.SaveBigFilePart");
  });
  const free = srv2.lane("free");
  const f = await uploadFile(memSource(data), [flooded, free], { item: "y", limits: LIMITS, concurrency: 4 });
  assert.equal(flooded.count, 1, "the paused lane got no further part");
  assert.equal(free.count, 22);
  assert.deepEqual(srv2.take(f), data);
  // with no free lane the flood error goes up (the job moves the item to a free account)
  const alone = srv2.lane("alone", () => {
    alone.paused = Date.now() + 3_600_000;
    throw new TelegramError(420, "FLOOD_WAIT_3600", "upload.SaveBigFilePart");
  });
  await assert.rejects(
    uploadFile(memSource(data), [alone], { item: "z", limits: LIMITS, concurrency: 2 }),
    /FLOOD_WAIT_3600/,
  );
});

Deno.test("uploadFile: the stall watchdog re-sends a stuck part; transient errors back off and retry", async () => {
  const srv = testServer();
  const events: EventBody[] = [];
  const lane = srv.lane("a", (p, signal, n) => {
    // part 3's first attempt never answers; part 5 fails twice with a 500
    if (p.index === 3 && !srv.calls.slice(0, n).some((c) => c.index === 3)) {
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }
    if (p.index === 5 && srv.calls.filter((c) => c.index === 5).length <= 2) {
      throw new TelegramError(500, "INTERNAL", "upload.SaveBigFilePart");
    }
    return undefined;
  });
  const data = bytesOf(11 * MB, 4);
  const f = await uploadFile(memSource(data), [lane], {
    item: "x",
    limits: LIMITS,
    concurrency: 4,
    stallMs: 300,
    retryBaseMs: 1,
    retryMaxMs: 5,
    emit: (e) => events.push(e),
  });
  assert.deepEqual(srv.take(f), data);
  const retries = events.filter((e) => e.type === "retry");
  assert.ok(retries.some((e) => e.type === "retry" && e.error.code === "STALL"), JSON.stringify(retries));
  assert.equal(retries.filter((e) => e.type === "retry" && e.error.code === "TELEGRAM").length, 2);
  // a 400 is not retried
  const bad = testServer().lane("b", () => {
    throw new TelegramError(400, "FILE_PART_SIZE_INVALID", "upload.SaveBigFilePart");
  });
  await assert.rejects(
    uploadFile(memSource(data), [bad], { item: "y", limits: LIMITS, concurrency: 2 }),
    /FILE_PART_SIZE_INVALID/,
  );
  assert.ok(bad.count <= 2, "one attempt per sender at most, no retries");
});

Deno.test("uploadAndSend: FILE_PART_X_MISSING re-sends part X only", async () => {
  const srv = testServer();
  let dropped = false;
  const lane = srv.lane("a", (p) => {
    if (p.index === 7 && !dropped) {
      dropped = true;
      return "drop"; // acknowledged, then lost by the server
    }
    return undefined;
  });
  const data = bytesOf(11 * MB, 6);
  const r = await uploadAndSend(memSource(data), [lane], (f) => Promise.resolve(srv.take(f)), {
    item: "x",
    limits: LIMITS,
    concurrency: 4,
  });
  assert.deepEqual(r.sent, data);
  assert.equal(r.repairs, 1);
  assert.equal(r.restarted, false);
  assert.equal(srv.calls.filter((c) => c.index === 7).length, 2);
  assert.equal(srv.calls.length, 23);
});
