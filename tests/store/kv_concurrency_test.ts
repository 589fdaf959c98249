import assert from "node:assert/strict";
import { openProgressStore } from "../../lib/store/kv_store.ts";
import type { CasJob, CasReply } from "./_cas_worker.ts";

function runWorker(job: CasJob): Promise<CasReply> {
  const w = new Worker(new URL("./_cas_worker.ts", import.meta.url), { type: "module" });
  return new Promise<CasReply>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<CasReply>) => resolve(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message));
    };
    w.postMessage(job);
  }).finally(() => w.terminate());
}

async function withKvFile(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/shared.kv`;
    (await openProgressStore(path)).close(); // create and migrate once, before the workers race
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("4 workers doing check-and-set increments on one counter in one KV file lose no update", async () => {
  await withKvFile(async (path) => {
    const n = 100;
    const started = performance.now();
    const replies = await Promise.all([0, 1, 2, 3].map(() => runWorker({ mode: "counter", path, n })));
    for (const r of replies) assert.ok(r.ok, JSON.stringify(r));
    const races = replies.reduce((sum, r) => sum + (r.ok ? r.races ?? 0 : 0), 0);
    const locks = replies.reduce((sum, r) => sum + (r.ok ? r.lockRetries ?? 0 : 0), 0);
    if (Deno.env.get("TGPIPE_TEST_VERBOSE")) {
      console.log(
        `counter: ${Math.round(performance.now() - started)} ms, ${races} lost races, ${locks} lock retries`,
      );
    }
    const kv = await Deno.openKv(path);
    try {
      assert.equal((await kv.get(["counter"])).value, 4 * n);
    } finally {
      kv.close();
    }
  });
});

Deno.test("4 workers marking parts of one bitmap chunk through the store lose no part", async () => {
  await withKvFile(async (path) => {
    const n = 64;
    const replies = await Promise.all(
      [0, 1, 2, 3].map((worker) => runWorker({ mode: "parts", path, n, worker, workers: 4 })),
    );
    assert.deepEqual(replies, Array(4).fill({ ok: true }));
    const store = await openProgressStore(path);
    try {
      assert.deepEqual(await store.getPartBitmap("job", "file"), new Uint8Array(4 * n / 8).fill(0xff));
    } finally {
      store.close();
    }
  });
});

Deno.test("two workers competing for the same leases never both hold one", async () => {
  await withKvFile(async (path) => {
    const holders = new SharedArrayBuffer(4 * 2);
    const jobs = ["a", "b"].map((owner): CasJob => ({ mode: "lease", path, n: 60, owner, keys: 2, holders }));
    const replies = await Promise.all(jobs.map(runWorker));
    for (const r of replies) {
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.violations, 0);
      assert.ok((r.acquired ?? 0) > 0, "each worker got a lease at some point");
    }
  });
});

Deno.test("a lease expires and another process takes it over", async () => {
  await withKvFile(async (path) => {
    // Both handles judge expiry by one test clock: a slow KV write on a busy machine cannot let
    // the 60 ms lease expire before b's first try, and expiry needs no sleep.
    let at = Date.now();
    const now = () => at;
    const a = await openProgressStore(path, { now });
    const b = await openProgressStore(path, { now });
    try {
      assert.ok(await a.acquireLease("job/shard-1", "host-a", 60));
      assert.equal(await b.acquireLease("job/shard-1", "host-b", 60), undefined);
      at += 100;
      assert.equal((await b.acquireLease("job/shard-1", "host-b", 10_000))?.owner, "host-b");
      assert.equal(await a.renewLease("job/shard-1", "host-a", 10_000), undefined);
      assert.equal(await a.releaseLease("job/shard-1", "host-a"), false);
    } finally {
      a.close();
      b.close();
    }
  });
});
