import { NotFoundError, StoreError } from "../core/errors.ts";
import type { StoreKind } from "./store_location.ts";
import {
  type BatchOptions,
  type Job,
  JOB_STATES,
  type JobPatch,
  type Lease,
  type ProgressDelta,
  type ProgressStore,
  type StartJobInput,
  type StoreBatch,
} from "./progress_store.ts";
import { COUNTERS, type JobRecord, KEYS, type LeaseRecord } from "./kv_keys.ts";
import { KvBatch } from "./kv_batch.ts";
import { jobIdFor } from "./job_id.ts";
import { joinChunks } from "./part_bitmap.ts";
import { type LockRetryOptions, withLockRetry } from "./lock_retry.ts";

/** How a KvProgressStore was opened. */
export interface KvProgressStoreOptions {
  location: string;
  kind: StoreKind;
  /** Lock-retry tuning; its signal also stops waits between retries. */
  retry?: LockRetryOptions;
  /** Milliseconds clock that lease expiry is judged by. Default Date.now (tests inject their own). */
  now?: () => number;
}

const CAS_ROUNDS = 200;
// Deno deletes expired leases by itself eventually; expiry is judged by expiresAt, not by this.
const LEASE_CLEANUP_MS = 10 * 60_000;

/** ProgressStore on a Deno.Kv handle (file, KV Connect or memory): see progress_store.ts. */
export class KvProgressStore implements ProgressStore {
  readonly location: string;
  readonly kind: StoreKind;
  #kv: Deno.Kv;
  #retry: LockRetryOptions;
  #now: () => number;
  #closed = false;

  constructor(kv: Deno.Kv, opts: KvProgressStoreOptions) {
    this.#kv = kv;
    this.location = opts.location;
    this.kind = opts.kind;
    this.#retry = opts.retry ?? {};
    this.#now = opts.now ?? Date.now;
  }

  async startJob(input: StartJobInput): Promise<{ job: Job; resumed: boolean }> {
    const id = jobIdFor(input.command, input.key);
    const resumed = await this.#cas(KEYS.job(id), (old: JobRecord | null) => {
      const now = Date.now();
      const rec: JobRecord = old
        ? {
          ...old,
          state: "running",
          updatedAt: now,
          args: input.args ?? old.args,
          meta: { ...old.meta, ...input.meta },
        }
        : {
          id,
          command: input.command,
          args: input.args ?? "",
          state: "running",
          createdAt: now,
          updatedAt: now,
          meta: input.meta ?? {},
        };
      return { value: rec, result: old !== null };
    });
    return { job: (await this.getJob(id))!, resumed };
  }

  async getJob(id: string): Promise<Job | undefined> {
    const rec = await this.#run(() => this.#kv.get<JobRecord>(KEYS.job(id)));
    return rec.value ? await this.#withTotals(rec.value) : undefined;
  }

  async listJobs(): Promise<Job[]> {
    const recs = await this.#run(() => Array.fromAsync(this.#kv.list<JobRecord>({ prefix: KEYS.jobs })));
    const jobs = await Promise.all(recs.map((e) => this.#withTotals(e.value)));
    return jobs.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
  }

  async updateJob(id: string, patch: JobPatch): Promise<Job> {
    if (patch.state !== undefined && !JOB_STATES.includes(patch.state)) {
      throw new RangeError(`Invalid job state "${patch.state}"`);
    }
    const extra: Array<[Deno.KvKey, Deno.KvU64]> = [];
    if (patch.items !== undefined) extra.push([KEYS.counter(id, "items"), _u64(patch.items, "items")]);
    if (patch.bytes !== undefined) extra.push([KEYS.counter(id, "bytes"), _u64(patch.bytes, "bytes")]);
    await this.#cas(KEYS.job(id), (old: JobRecord | null) => {
      if (!old) throw new NotFoundError(`No job ${id} in ${this.location}`, "job");
      const value: JobRecord = {
        ...old,
        state: patch.state ?? old.state,
        args: patch.args ?? old.args,
        meta: patch.meta ? { ...old.meta, ...patch.meta } : old.meta,
        updatedAt: Date.now(),
      };
      return { value, result: undefined, extra };
    });
    return (await this.getJob(id))!;
  }

  async addProgress(id: string, delta: ProgressDelta): Promise<void> {
    const b = this.batch();
    await b.addProgress(id, delta);
    await b.flush();
  }

  async removeJob(id: string): Promise<boolean> {
    const keys: Deno.KvKey[] = [];
    await this.#run(async () => {
      keys.length = 0;
      for await (const e of this.#kv.list({ prefix: KEYS.jobData(id) })) keys.push(e.key);
      // Lease keys "<id>/..." belong to the job ("0" is the character after "/").
      const leases = this.#kv.list({ start: KEYS.lease(`${id}/`), end: KEYS.lease(`${id}0`) });
      for await (const e of leases) keys.push(e.key);
    });
    const existed = (await this.#run(() => this.#kv.get(KEYS.job(id)))).versionstamp !== null;
    // The job record goes first so a half-finished removal never leaves a job without its data.
    await this.#run(() => this.#kv.delete(KEYS.job(id)));
    for (let i = 0; i < keys.length; i += 500) {
      await this.#run(() => {
        const atomic = this.#kv.atomic();
        for (const k of keys.slice(i, i + 500)) atomic.delete(k);
        return atomic.commit();
      });
    }
    return existed || keys.length > 0;
  }

  async setCursor(jobId: string, shard: string, value: unknown): Promise<void> {
    const b = this.batch();
    await b.setCursor(jobId, shard, value);
    await b.flush();
  }

  async getCursor(jobId: string, shard: string): Promise<unknown> {
    return (await this.#run(() => this.#kv.get(KEYS.cursor(jobId, shard)))).value ?? undefined;
  }

  async listCursors(jobId: string): Promise<Map<string, unknown>> {
    const entries = await this.#run(() => Array.fromAsync(this.#kv.list({ prefix: KEYS.cursors(jobId) })));
    return new Map(entries.map((e) => [String(e.key[e.key.length - 1]), e.value]));
  }

  async markParts(jobId: string, file: string, parts: readonly number[]): Promise<void> {
    const b = this.batch();
    await b.markParts(jobId, file, parts);
    await b.flush();
  }

  async getPartBitmap(jobId: string, file: string): Promise<Uint8Array> {
    const prefix = KEYS.bitmap(jobId, file);
    const entries = await this.#run(() => Array.fromAsync(this.#kv.list<Uint8Array>({ prefix })));
    return joinChunks(new Map(entries.map((e) => [Number(e.key[prefix.length]), e.value])));
  }

  async markItemDone(jobId: string, item: string): Promise<void> {
    const b = this.batch();
    await b.markItemDone(jobId, item);
    await b.flush();
  }

  async isItemDone(jobId: string, item: string): Promise<boolean> {
    return (await this.#run(() => this.#kv.get(KEYS.item(jobId, item)))).versionstamp !== null;
  }

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    _checkTtl(ttlMs);
    return await this.#cas(KEYS.lease(key), (old: LeaseRecord | null) => {
      const now = this.#now();
      if (old && old.owner !== owner && old.expiresAt > now) return { result: undefined };
      const value: LeaseRecord = { owner, expiresAt: now + ttlMs };
      return { value, result: { key, ...value }, expireIn: ttlMs + LEASE_CLEANUP_MS };
    });
  }

  async renewLease(key: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    _checkTtl(ttlMs);
    return await this.#cas(KEYS.lease(key), (old: LeaseRecord | null) => {
      // An expired lease nobody took over is still ours to renew.
      if (!old || old.owner !== owner) return { result: undefined };
      const value: LeaseRecord = { owner, expiresAt: this.#now() + ttlMs };
      return { value, result: { key, ...value }, expireIn: ttlMs + LEASE_CLEANUP_MS };
    });
  }

  releaseLease(key: string, owner: string): Promise<boolean> {
    return this.#cas(KEYS.lease(key), (old: LeaseRecord | null) => {
      if (!old || old.owner !== owner) return { result: false };
      return { value: null, result: true };
    });
  }

  batch(opts?: BatchOptions): StoreBatch {
    return new KvBatch({ kv: this.#kv, run: (fn) => this.#run(fn) }, opts);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#kv.close();
  }

  #run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new StoreError(`Progress store ${this.location} is closed`, this.location));
    }
    return withLockRetry(fn, this.#retry);
  }

  async #withTotals(rec: JobRecord): Promise<Job> {
    const keys = [...COUNTERS.map((c) => KEYS.counter(rec.id, c)), KEYS.touch(rec.id)];
    const vals = await this.#run(() => this.#kv.getMany(keys));
    const n = (i: number) => _num(vals[i].value);
    const touched = typeof vals[5].value === "number" ? vals[5].value : 0;
    return {
      ...rec,
      updatedAt: Math.max(rec.updatedAt, touched),
      totals: { items: n(0), itemsDone: n(1), itemsFailed: n(2), bytes: n(3), bytesDone: n(4) },
    };
  }

  /** Read, decide, write with a versionstamp check; re-reads when another writer got there first. */
  async #cas<V, R>(
    key: Deno.KvKey,
    decide: (old: V | null) => {
      value?: V | null;
      result: R;
      expireIn?: number;
      extra?: Array<[Deno.KvKey, unknown]>;
    },
  ): Promise<R> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const entry = await this.#run(() => this.#kv.get<V>(key));
      const d = decide(entry.value);
      if (d.value === undefined) return d.result;
      const res = await this.#run(() => {
        const atomic = this.#kv.atomic().check(entry);
        if (d.value === null) atomic.delete(key);
        else atomic.set(key, d.value, d.expireIn ? { expireIn: d.expireIn } : undefined);
        for (const [k, v] of d.extra ?? []) atomic.set(k, v);
        return atomic.commit();
      });
      if (res.ok) return d.result;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, round)));
    }
    throw new StoreError(`Too much contention on ${JSON.stringify(key)} in ${this.location}`, this.location);
  }
}

function _num(v: unknown): number {
  if (!(v instanceof Deno.KvU64)) return 0;
  // Counters wrap modulo 2^64 when decremented; a "negative" total reads as 0.
  return v.value >= 1n << 63n ? 0 : Number(v.value);
}

function _u64(n: number, what: string): Deno.KvU64 {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Invalid ${what} total ${n}`);
  return new Deno.KvU64(BigInt(n));
}

function _checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`Invalid lease ttl ${ttlMs} ms`);
}
