import assert from "node:assert/strict";
import { jobIdFor } from "../../lib/store/job_id.ts";
import { isLockedError, withLockRetry } from "../../lib/store/lock_retry.ts";
import { joinChunks, orBitmaps, partDone, partMasks, PARTS_PER_CHUNK } from "../../lib/store/part_bitmap.ts";

Deno.test("jobIdFor is stable, short and depends on command and key", () => {
  const id = jobIdFor("export", "chat:1|out");
  assert.equal(id, jobIdFor("export", "chat:1|out"));
  assert.match(id, /^export-[0-9a-f]{12}$/);
  assert.notEqual(id, jobIdFor("export", "chat:2|out"));
  assert.notEqual(id, jobIdFor("download", "chat:1|out"));
  // The separator keeps "ab"+"c" and "a"+"bc" apart.
  assert.notEqual(jobIdFor("ab", "c").slice(-12), jobIdFor("a", "bc").slice(-12));
  assert.match(jobIdFor("Sync Drive!", "k"), /^sync_drive-/);
  assert.throws(() => jobIdFor(" ", "k"), RangeError);
});

Deno.test("part masks group parts by 64 KiB chunk", () => {
  const masks = partMasks([0, 9, PARTS_PER_CHUNK + 1]);
  assert.deepEqual([...masks.keys()], [0, 1]);
  assert.deepEqual(masks.get(0), new Uint8Array([1, 2]));
  assert.deepEqual(masks.get(1), new Uint8Array([2]));
  assert.deepEqual(orBitmaps(new Uint8Array([1]), new Uint8Array([4, 8])), new Uint8Array([5, 8]));
  const joined = joinChunks(new Map([[1, new Uint8Array([0, 1, 0])], [0, new Uint8Array([3])]]));
  assert.equal(joined.length, PARTS_PER_CHUNK / 8 + 2);
  assert.ok(partDone(joined, 0) && partDone(joined, 1) && !partDone(joined, 2));
  assert.ok(partDone(joined, PARTS_PER_CHUNK + 8));
  assert.ok(!partDone(joined, 10 * PARTS_PER_CHUNK));
  assert.throws(() => partMasks([1.5]), RangeError);
});

Deno.test("withLockRetry retries only lock errors, with growing delays", async () => {
  assert.ok(isLockedError(new TypeError("database is locked")));
  assert.ok(!isLockedError(new Error("disk full")));
  let calls = 0;
  const delays: number[] = [];
  const out = await withLockRetry(() => {
    calls++;
    return calls < 4 ? Promise.reject(new Error("database is locked")) : Promise.resolve("ok");
  }, { baseDelayMs: 2, onRetry: (_a, d) => delays.push(d) });
  assert.equal(out, "ok");
  assert.equal(calls, 4);
  assert.equal(delays.length, 3);
  let other = 0;
  await assert.rejects(() =>
    withLockRetry(() => {
      other++;
      return Promise.reject(new Error("disk full"));
    }), /disk full/);
  assert.equal(other, 1);
});

Deno.test("withLockRetry stops waiting when aborted", async () => {
  const ac = new AbortController();
  const p = withLockRetry(() => Promise.reject(new Error("database is locked")), {
    baseDelayMs: 10_000,
    signal: ac.signal,
    attempts: 5,
  });
  setTimeout(() => ac.abort(new Error("stopped")), 5);
  await assert.rejects(p, /stopped/);
});
