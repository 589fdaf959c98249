import assert from "node:assert/strict";
import { WorkerPool } from "../../lib/engine/worker_pool.ts";
import { TgpipeError } from "../../lib/core/errors.ts";
import type { TestReq } from "./fixtures/test_worker.ts";

const URL_ = new URL("./fixtures/test_worker.ts", import.meta.url);

function pool(size: number, queueSize?: number, cancelGraceMs?: number) {
  return new WorkerPool<TestReq, unknown, number>(URL_, { size, queueSize, cancelGraceMs });
}

Deno.test("worker pool runs tasks on several workers and returns their answers", async () => {
  const p = pool(2);
  try {
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => p.run({ op: "echo", value: v })));
    assert.deepEqual(results, [1, 2, 3, 4, 5]);
  } finally {
    await p.close();
  }
});

Deno.test("worker pool moves buffers as transferables both ways", async () => {
  const p = pool(1);
  try {
    const data = new Uint8Array([1, 2, 3]);
    const out = await p.run({ op: "buffer", data }, { transfer: [data.buffer] });
    assert.equal(data.byteLength, 0, "the sent buffer was moved, not copied");
    assert.deepEqual([...(out as Uint8Array)], [2, 3, 4]);
  } finally {
    await p.close();
  }
});

Deno.test("worker pool forwards a task's events to its submitter", async () => {
  const p = pool(1);
  try {
    const seen: number[] = [];
    assert.equal(await p.run({ op: "events", count: 3 }, { onEvent: (e) => seen.push(e) }), 3);
    assert.deepEqual(seen, [0, 1, 2]);
  } finally {
    await p.close();
  }
});

Deno.test("submit waits while the queue is full (back-pressure)", async () => {
  const p = pool(1, 1);
  try {
    // `a` runs until the test cancels it, not for a fixed time a busy machine could outlast
    const ac = new AbortController();
    const a = await p.submit({ op: "wait_cancel" }, { signal: ac.signal }); // running
    const b = await p.submit({ op: "sleep", ms: 10, value: 2 }); // queued: queue now full
    let cAccepted = false;
    const c = p.submit({ op: "echo", value: 3 }).then((h) => {
      cAccepted = true;
      return h;
    });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(cAccepted, false, "third submit must wait for space");
    assert.equal(p.queued, 1);
    ac.abort(new Error("done"));
    await assert.rejects(a.result, /done/);
    const hc = await c;
    assert.equal(cAccepted, true);
    assert.equal(await b.result, 2);
    assert.equal(await hc.result, 3);
  } finally {
    await p.close();
  }
});

Deno.test("a failing task fails alone and keeps its error code and data", async () => {
  const p = pool(1);
  try {
    const bad = p.run({ op: "throw" });
    const good = p.run({ op: "echo", value: 7 });
    await assert.rejects(bad, (e: unknown) => {
      assert.ok(e instanceof TgpipeError);
      assert.equal(e.code, "BAD_TASK");
      assert.deepEqual(e.data, { why: "test" });
      return true;
    });
    assert.equal(await good, 7);
  } finally {
    await p.close();
  }
});

Deno.test("a crashed worker fails only its task and is replaced", async () => {
  const p = pool(1);
  try {
    const crash = p.run({ op: "crash" });
    const after = p.run({ op: "echo", value: 9 });
    await assert.rejects(crash, (e: unknown) => e instanceof TgpipeError && e.code === "WORKER_CRASHED");
    assert.equal(await after, 9);
  } finally {
    await p.close();
  }
});

Deno.test("a worker that dies before it is ready fails every task at once and no other worker starts", async () => {
  const broken = new URL("./fixtures/broken_worker.ts", import.meta.url);
  const missing = new URL("./fixtures/no_such_worker.ts", import.meta.url);
  for (const url of [broken, missing]) {
    const p = new WorkerPool<TestReq, unknown, number>(url, { size: 2, queueSize: 8 });
    try {
      const data = new Uint8Array([1, 2, 3]);
      const tasks = [1, 2, 3, 4, 5].map((value) => p.run({ op: "echo", value }));
      tasks.push(p.run({ op: "buffer", data }, { transfer: [data.buffer] }));
      for (const r of await Promise.allSettled(tasks)) {
        assert.equal(r.status, "rejected");
        const e = (r as PromiseRejectedResult).reason;
        assert.ok(e instanceof TgpipeError && e.code === "WORKER_START_FAILED", String(e));
      }
      // never sent, so never moved: a caller can still do the work itself
      assert.deepEqual([...data], [1, 2, 3]);
      assert.equal(p.startError?.code, "WORKER_START_FAILED");
      assert.equal(p.queued, 0);
      await assert.rejects(p.run({ op: "echo", value: 6 }), (e: unknown) => e === p.startError);
    } finally {
      p.terminate();
    }
  }
});

Deno.test("aborting cancels a queued task and tells a running one to stop", async () => {
  const p = pool(1, 2);
  try {
    const ac = new AbortController();
    const running = await p.submit({ op: "wait_cancel" }, { signal: ac.signal });
    const queuedAc = new AbortController();
    const queued = await p.submit({ op: "echo", value: 1 }, { signal: queuedAc.signal });
    queuedAc.abort(new Error("no longer needed"));
    await assert.rejects(queued.result, /no longer needed/);
    assert.equal(p.queued, 0);
    ac.abort(new Error("stop"));
    await assert.rejects(running.result, /stop/);
    // The worker obeyed the cancel, so the next task runs on it without a restart.
    assert.equal(await p.run({ op: "echo", value: 2 }), 2);
  } finally {
    await p.close();
  }
});

Deno.test("a worker that ignores cancel is replaced after the grace period", async () => {
  const p = pool(1, 1, 50);
  try {
    const ac = new AbortController();
    // The task would hold the only worker for a minute; the next task must not wait for it. The
    // bound follows from that minute, not from how fast this machine starts a worker.
    const h = await p.submit({ op: "sleep", ms: 60_000, value: 1 }, { signal: ac.signal });
    ac.abort(new Error("cancel"));
    await assert.rejects(h.result, /cancel/);
    const t0 = performance.now();
    assert.equal(await p.run({ op: "echo", value: 3 }), 3);
    assert.ok(performance.now() - t0 < 30_000, `the next task waited ${performance.now() - t0} ms`);
  } finally {
    p.terminate();
  }
});

Deno.test("terminate rejects pending tasks and submit after close fails", async () => {
  const p = pool(1, 2);
  const a = await p.submit({ op: "sleep", ms: 5000, value: 1 });
  const b = await p.submit({ op: "echo", value: 2 });
  p.terminate();
  await assert.rejects(a.result, /terminated/);
  await assert.rejects(b.result, /terminated/);
  await assert.rejects(p.submit({ op: "echo", value: 3 }), /closed/);
});

Deno.test("pool options are checked", () => {
  assert.throws(() => pool(0), RangeError);
  assert.throws(() => pool(1, 0), RangeError);
});

Deno.test("perWorker runs several tasks at once in one worker; a cancel stops only its own task", async () => {
  const p = new WorkerPool<TestReq, unknown, number>(URL_, { size: 1, perWorker: 3, queueSize: 4 });
  const acs = [0, 1, 2, 3].map(() => new AbortController());
  try {
    const handles = await Promise.all(
      acs.map((ac) => p.submit({ op: "wait_cancel" }, { signal: ac.signal })),
    );
    assert.equal(p.running, 3);
    assert.equal(p.queued, 1);
    acs[0].abort(new Error("stop 0"));
    await assert.rejects(handles[0].result, /stop 0/);
    // once the worker confirms the cancel, the queued task takes the freed place
    while (p.queued > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(p.running, 3);
    const echo = await p.submit({ op: "echo", value: 7 });
    assert.equal(p.queued, 1, "a fourth task waits while three run");
    for (const ac of acs.slice(1, 2)) ac.abort(new Error("stop"));
    assert.equal(await echo.result, 7);
    for (const ac of acs.slice(2)) ac.abort(new Error("stop"));
    for (const h of handles.slice(1)) await assert.rejects(h.result, /stop/);
  } finally {
    p.terminate();
  }
});

Deno.test("perWorker must be a positive integer", () => {
  assert.throws(() => new WorkerPool(URL_, { size: 1, perWorker: 0 }), RangeError);
});

Deno.test("warm starts one worker ahead of the first task, once, and the task runs on it", async () => {
  const p = pool(2);
  try {
    p.warm();
    p.warm();
    const echoed = await Promise.all([p.run({ op: "echo", value: 1 })]);
    assert.deepEqual(echoed, [1]);
    // two tasks at once: the warm worker and one more, never a third
    assert.deepEqual(await Promise.all([p.run({ op: "echo", value: 2 }), p.run({ op: "echo", value: 3 })]), [
      2,
      3,
    ]);
  } finally {
    await p.close();
  }
  p.warm(); // closed: nothing starts (a leaked worker would fail the test's sanitizer)
});
