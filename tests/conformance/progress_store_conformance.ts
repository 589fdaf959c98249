import assert from "node:assert/strict";
import { NotFoundError, StoreError } from "../../lib/core/errors.ts";
import type { ProgressStore } from "../../lib/store/progress_store.ts";
import { partDone, PARTS_PER_CHUNK } from "../../lib/store/part_bitmap.ts";

/**
 * Opens a fresh, empty store whose lease expiry follows `now` (a test clock, so no test sleeps
 * past a deadline); `cleanup` runs after the store is closed.
 */
export type StoreFactory = (
  opts: { now: () => number },
) => Promise<{ store: ProgressStore; cleanup: () => Promise<void> }>;

/** A hand-moved clock: starts at the real time, moves only when a test advances it. */
interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** Registers the shared ProgressStore behaviour tests for one implementation. */
export function progressStoreConformance(name: string, factory: StoreFactory): void {
  const t = (title: string, fn: (s: ProgressStore, clock: TestClock) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      let at = Date.now();
      const clock = { now: () => at, advance: (ms: number) => void (at += ms) };
      const { store, cleanup } = await factory({ now: clock.now });
      try {
        await fn(store, clock);
      } finally {
        store.close();
        await cleanup();
      }
    });

  t("startJob creates a job, and the same command and key resume it", async (s) => {
    const first = await s.startJob({ command: "export", key: "chat:1", args: "@a -> out", meta: { a: 1 } });
    assert.equal(first.resumed, false);
    assert.match(first.job.id, /^export-[0-9a-f]{12}$/);
    assert.equal(first.job.state, "running");
    assert.deepEqual(first.job.totals, { items: 0, itemsDone: 0, itemsFailed: 0, bytes: 0, bytesDone: 0 });
    await s.updateJob(first.job.id, { state: "stopped" });
    const again = await s.startJob({ command: "export", key: "chat:1", meta: { b: 2 } });
    assert.equal(again.resumed, true);
    assert.equal(again.job.id, first.job.id);
    assert.equal(again.job.state, "running");
    assert.equal(again.job.args, "@a -> out");
    assert.deepEqual(again.job.meta, { a: 1, b: 2 });
    assert.equal(again.job.createdAt, first.job.createdAt);
    const other = await s.startJob({ command: "export", key: "chat:2" });
    assert.notEqual(other.job.id, first.job.id);
  });

  t("updateJob changes state, merges meta and sets planned totals", async (s) => {
    const { job } = await s.startJob({ command: "download", key: "k", meta: { keep: true } });
    const done = await s.updateJob(job.id, { state: "done", meta: { chat: "x" }, items: 10, bytes: 4096 });
    assert.equal(done.state, "done");
    assert.deepEqual(done.meta, { keep: true, chat: "x" });
    assert.equal(done.totals.items, 10);
    assert.equal(done.totals.bytes, 4096);
    assert.ok(done.updatedAt >= job.updatedAt);
    await assert.rejects(() => s.updateJob("nope-000000000000", { state: "done" }), NotFoundError);
    // deno-lint-ignore no-explicit-any
    await assert.rejects(() => s.updateJob(job.id, { state: "weird" as any }), RangeError);
    assert.equal(await s.getJob("nope-000000000000"), undefined);
  });

  t("addProgress adds to counters, negative deltas subtract", async (s) => {
    const { job } = await s.startJob({ command: "sync", key: "k" });
    await s.addProgress(job.id, { items: 5, itemsDone: 2, bytesDone: 100 });
    await s.addProgress(job.id, { itemsDone: 1, itemsFailed: 2, bytesDone: 50, bytes: 1000 });
    await s.addProgress(job.id, { itemsFailed: -1 });
    const got = await s.getJob(job.id);
    assert.deepEqual(got?.totals, { items: 5, itemsDone: 3, itemsFailed: 1, bytes: 1000, bytesDone: 150 });
    await assert.rejects(() => s.addProgress(job.id, { itemsDone: 0.5 }), RangeError);
  });

  t("listJobs lists every job, most recently updated first", async (s) => {
    const a = (await s.startJob({ command: "export", key: "a" })).job;
    await new Promise((r) => setTimeout(r, 5));
    const b = (await s.startJob({ command: "upload", key: "b" })).job;
    assert.deepEqual((await s.listJobs()).map((j) => j.id), [b.id, a.id]);
    await new Promise((r) => setTimeout(r, 5));
    await s.addProgress(a.id, { itemsDone: 1 });
    assert.deepEqual((await s.listJobs()).map((j) => j.id), [a.id, b.id]);
  });

  t("shard cursors are stored per job and shard", async (s) => {
    await s.setCursor("j1", "0", { offsetId: 100 });
    await s.setCursor("j1", "1", 7);
    await s.setCursor("j1", "0", { offsetId: 50 });
    await s.setCursor("j2", "0", "other");
    assert.deepEqual(await s.getCursor("j1", "0"), { offsetId: 50 });
    assert.equal(await s.getCursor("j1", "9"), undefined);
    assert.deepEqual(
      await s.listCursors("j1"),
      new Map<string, unknown>([["0", { offsetId: 50 }], ["1", 7]]),
    );
  });

  t("part bitmaps record done parts, across 64 KiB chunks", async (s) => {
    assert.deepEqual(await s.getPartBitmap("j", "f"), new Uint8Array(0));
    await s.markParts("j", "f", [0, 3, 9]);
    await s.markParts("j", "f", [1]);
    assert.deepEqual(await s.getPartBitmap("j", "f"), new Uint8Array([0b1011, 0b10]));
    const far = PARTS_PER_CHUNK + 5;
    await s.markParts("j", "f", [far]);
    const bm = await s.getPartBitmap("j", "f");
    assert.equal(bm.length, PARTS_PER_CHUNK / 8 + 1);
    for (const p of [0, 1, 3, 9, far]) assert.ok(partDone(bm, p), `part ${p}`);
    for (const p of [2, 4, 8, 10, far - 1, far + 1]) assert.ok(!partDone(bm, p), `part ${p}`);
    assert.deepEqual(await s.getPartBitmap("j", "other"), new Uint8Array(0));
    await assert.rejects(() => s.markParts("j", "f", [-1]), RangeError);
  });

  t("concurrent markParts on one chunk lose no part", async (s) => {
    const parts = Array.from({ length: 64 }, (_, i) => i);
    await Promise.all(parts.map((p) => s.markParts("j", "f", [p])));
    assert.deepEqual(await s.getPartBitmap("j", "f"), new Uint8Array(8).fill(0xff));
  });

  t("item done markers", async (s) => {
    assert.equal(await s.isItemDone("j", "msg:1"), false);
    await s.markItemDone("j", "msg:1");
    assert.equal(await s.isItemDone("j", "msg:1"), true);
    assert.equal(await s.isItemDone("j", "msg:2"), false);
    assert.equal(await s.isItemDone("k", "msg:1"), false);
  });

  t("leases: one owner at a time, renew, release, expiry takeover", async (s, clock) => {
    const a = await s.acquireLease("job/shard-0", "a", 5_000);
    assert.equal(a?.owner, "a");
    assert.equal(a!.expiresAt, clock.now() + 5_000);
    assert.equal(await s.acquireLease("job/shard-0", "b", 5_000), undefined);
    assert.equal((await s.acquireLease("job/shard-0", "a", 5_000))?.owner, "a");
    assert.equal(await s.renewLease("job/shard-0", "b", 5_000), undefined);
    assert.equal((await s.renewLease("job/shard-0", "a", 5_000))?.owner, "a");
    assert.equal(await s.releaseLease("job/shard-0", "b"), false);
    assert.equal(await s.releaseLease("job/shard-0", "a"), true);
    assert.equal(await s.releaseLease("job/shard-0", "a"), false);
    assert.equal((await s.acquireLease("job/shard-0", "b", 40))?.owner, "b");
    // the test clock, not the wall clock: a slow KV write cannot expire the lease early
    clock.advance(39);
    assert.equal(await s.acquireLease("job/shard-0", "a", 40), undefined);
    clock.advance(2);
    assert.equal((await s.acquireLease("job/shard-0", "a", 5_000))?.owner, "a");
    assert.equal(await s.renewLease("job/shard-0", "b", 5_000), undefined);
    await assert.rejects(() => s.acquireLease("x", "a", 0), RangeError);
  });

  t("batched writes are invisible until flushed, then all visible", async (s) => {
    const { job } = await s.startJob({ command: "export", key: "batch" });
    const b = s.batch();
    await b.setCursor(job.id, "0", 42);
    await b.markItemDone(job.id, "m1");
    await b.markParts(job.id, "f", [2]);
    await b.addProgress(job.id, { itemsDone: 1, bytesDone: 10 });
    await b.addProgress(job.id, { itemsDone: 1, bytesDone: 5 });
    assert.ok(b.pending > 0);
    assert.equal(await s.getCursor(job.id, "0"), undefined);
    assert.equal(await s.isItemDone(job.id, "m1"), false);
    await b.flush();
    assert.equal(b.pending, 0);
    assert.equal(await s.getCursor(job.id, "0"), 42);
    assert.equal(await s.isItemDone(job.id, "m1"), true);
    assert.deepEqual(await s.getPartBitmap(job.id, "f"), new Uint8Array([0b100]));
    const got = await s.getJob(job.id);
    assert.equal(got?.totals.itemsDone, 2);
    assert.equal(got?.totals.bytesDone, 15);
  });

  t("large batches split into several commits and lose nothing", async (s) => {
    const b = s.batch();
    for (let i = 0; i < 1500; i++) {
      await b.markItemDone("j", `m${i}`);
      await b.addProgress("j", { itemsDone: 1 });
    }
    // ~1.2 MB of cursors and ~1 MB of bitmap chunks: more than one commit may carry (800 KiB)
    const big = "x".repeat(20_000);
    for (let i = 0; i < 60; i++) await b.setCursor("j", `s${i}`, big + i);
    await b.markParts(
      "j",
      "f",
      Array.from({ length: 15 }, (_, c) => c * PARTS_PER_CHUNK + PARTS_PER_CHUNK - 1),
    );
    await b.flush();
    for (const i of [0, 499, 500, 1499]) assert.equal(await s.isItemDone("j", `m${i}`), true);
    assert.equal((await s.listCursors("j")).size, 60);
    assert.equal(await s.getCursor("j", "s59"), big + 59);
    const bm = await s.getPartBitmap("j", "f");
    assert.equal(bm.length, 15 * PARTS_PER_CHUNK / 8);
    for (let c = 0; c < 15; c++) assert.ok(partDone(bm, c * PARTS_PER_CHUNK + PARTS_PER_CHUNK - 1));
  });

  t("removeJob removes the job and everything it owns, nothing else", async (s) => {
    const { job } = await s.startJob({ command: "export", key: "rm" });
    const keep = (await s.startJob({ command: "export", key: "keep" })).job;
    for (const id of [job.id, keep.id]) {
      await s.setCursor(id, "0", 1);
      await s.markParts(id, "f", [1]);
      await s.markItemDone(id, "m");
      await s.addProgress(id, { itemsDone: 3 });
      await s.acquireLease(`${id}/shard-0`, "me", 60_000);
    }
    assert.equal(await s.removeJob(job.id), true);
    assert.equal(await s.getJob(job.id), undefined);
    assert.equal(await s.getCursor(job.id, "0"), undefined);
    assert.deepEqual(await s.getPartBitmap(job.id, "f"), new Uint8Array(0));
    assert.equal(await s.isItemDone(job.id, "m"), false);
    assert.equal((await s.acquireLease(`${job.id}/shard-0`, "other", 1000))?.owner, "other");
    assert.equal(await s.acquireLease(`${keep.id}/shard-0`, "other", 1000), undefined);
    assert.equal((await s.getJob(keep.id))?.totals.itemsDone, 3);
    assert.equal(await s.getCursor(keep.id, "0"), 1);
    assert.equal(await s.removeJob("never-000000000000"), false);
  });

  t("close makes later calls fail with StoreError", async (s) => {
    s.close();
    await assert.rejects(() => s.listJobs(), StoreError);
  });
}
