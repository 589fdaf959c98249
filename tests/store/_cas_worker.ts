/// <reference lib="deno.worker" />
// Worker for kv_concurrency_test.ts: hammers one KV file from its own thread and KV handle.
import { openProgressStore } from "../../lib/store/kv_store.ts";
import { withLockRetry } from "../../lib/store/lock_retry.ts";

/** What the test asks a worker to do. */
export type CasJob =
  | { mode: "counter"; path: string; n: number }
  | { mode: "parts"; path: string; n: number; worker: number; workers: number }
  | { mode: "lease"; path: string; n: number; owner: string; keys: number; holders: SharedArrayBuffer };

/** What a worker answers. */
export type CasReply =
  | { ok: true; acquired?: number; violations?: number; races?: number; lockRetries?: number }
  | { ok: false; error: string };

self.onmessage = async (e: MessageEvent<CasJob>) => {
  try {
    self.postMessage(await _run(e.data) satisfies CasReply);
  } catch (err) {
    self.postMessage({ ok: false, error: String((err as Error)?.stack ?? err) } satisfies CasReply);
  }
};

async function _run(job: CasJob): Promise<CasReply> {
  if (job.mode === "counter") {
    let lockRetries = 0;
    let races = 0;
    const retry = { onRetry: () => void lockRetries++ };
    const kv = await withLockRetry(() => Deno.openKv(job.path), retry);
    try {
      for (let i = 0; i < job.n; i++) {
        while (true) {
          const cur = await withLockRetry(() => kv.get<number>(["counter"]), retry);
          const res = await withLockRetry(
            () => kv.atomic().check(cur).set(["counter"], (cur.value ?? 0) + 1).commit(),
            retry,
          );
          if (res.ok) break;
          races++;
        }
      }
    } finally {
      kv.close();
    }
    return { ok: true, races, lockRetries };
  }
  const store = await openProgressStore(job.path);
  try {
    if (job.mode === "parts") {
      // Interleaved parts: every worker writes every byte of the same bitmap chunk.
      for (let i = 0; i < job.n; i++) await store.markParts("job", "file", [i * job.workers + job.worker]);
      return { ok: true };
    }
    const holders = new Int32Array(job.holders);
    let acquired = 0;
    let violations = 0;
    for (let i = 0; i < job.n; i++) {
      const key = `job/L${i % job.keys}`;
      const lease = await store.acquireLease(key, job.owner, 10_000);
      if (!lease) continue;
      acquired++;
      if (Atomics.add(holders, i % job.keys, 1) !== 0) violations++;
      await new Promise((r) => setTimeout(r, 1));
      Atomics.sub(holders, i % job.keys, 1);
      if (!(await store.releaseLease(key, job.owner))) violations++;
    }
    return { ok: true, acquired, violations };
  } finally {
    store.close();
  }
}
