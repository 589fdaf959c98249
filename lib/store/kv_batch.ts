import type { BatchOptions, ProgressDelta, StoreBatch } from "./progress_store.ts";
import { type CounterName, KEYS } from "./kv_keys.ts";
import { orBitmaps, partMasks } from "./part_bitmap.ts";

/** How the batch reaches KV: the database and the lock-retry wrapper of its store. */
export interface KvRunner {
  kv: Deno.Kv;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

const MAX_CHECKS = 100; // Deno KV: at most 100 checks per atomic commit
const MAX_CAS_ROUNDS = 500;
const DELTA_FIELDS: ReadonlyArray<[keyof ProgressDelta, CounterName]> = [
  ["items", "items"],
  ["itemsDone", "items_done"],
  ["itemsFailed", "items_failed"],
  ["bytes", "bytes"],
  ["bytesDone", "bytes_done"],
];

interface _Op {
  kind: "set" | "sum" | "bits";
  key: Deno.KvKey;
  value: unknown;
  size: number;
}

/** A write batch on Deno KV: see StoreBatch. Bitmap merges are check-and-set, the rest blind writes. */
export class KvBatch implements StoreBatch {
  #runner: KvRunner;
  #maxMutations: number;
  #maxBytes: number;
  #ops = new Map<string, _Op>();
  #bytes = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(runner: KvRunner, opts: BatchOptions = {}) {
    this.#runner = runner;
    this.#maxMutations = Math.min(opts.maxMutations ?? 500, 900);
    this.#maxBytes = Math.min(opts.maxBytes ?? 700 * 1024, 760 * 1024);
  }

  get pending(): number {
    return this.#ops.size;
  }

  async setCursor(jobId: string, shard: string, value: unknown): Promise<void> {
    this.#put({ kind: "set", key: KEYS.cursor(jobId, shard), value, size: _sizeOf(value) });
    await this.#touch(jobId);
  }

  async markItemDone(jobId: string, item: string): Promise<void> {
    this.#put({ kind: "set", key: KEYS.item(jobId, item), value: 1, size: 1 });
    await this.#touch(jobId);
  }

  async markParts(jobId: string, file: string, parts: readonly number[]): Promise<void> {
    for (const [chunk, mask] of partMasks(parts)) {
      this.#put({ kind: "bits", key: KEYS.bitmapChunk(jobId, file, chunk), value: mask, size: mask.length });
    }
    await this.#touch(jobId);
  }

  async addProgress(jobId: string, delta: ProgressDelta): Promise<void> {
    for (const [field, name] of DELTA_FIELDS) {
      const n = delta[field];
      if (n === undefined || n === 0) continue;
      if (!Number.isSafeInteger(n)) throw new RangeError(`Invalid ${field} delta ${n}`);
      this.#put({ kind: "sum", key: KEYS.counter(jobId, name), value: BigInt(n), size: 8 });
    }
    await this.#touch(jobId);
  }

  flush(): Promise<void> {
    const ops = [...this.#ops.values()];
    this.#ops.clear();
    this.#bytes = 0;
    // Flushes run one after another so a later value never lands before an earlier one.
    const run = this.#chain.then(() => this.#commitAll(ops));
    this.#chain = run.catch(() => {
      // Failed writes go back in the queue so the next flush tries them again.
      for (const op of ops) this.#put(op, true);
    });
    return run;
  }

  #touch(jobId: string): Promise<void> {
    this.#put({ kind: "set", key: KEYS.touch(jobId), value: Date.now(), size: 8 });
    const full = this.#ops.size >= this.#maxMutations || this.#bytes >= this.#maxBytes;
    return full ? this.flush() : Promise.resolve();
  }

  #put(op: _Op, older = false): void {
    const id = JSON.stringify(op.key);
    const prev = this.#ops.get(id);
    let next = op;
    if (prev && op.kind === "sum") next = { ...op, value: (prev.value as bigint) + (op.value as bigint) };
    else if (prev && op.kind === "bits") {
      const value = orBitmaps(prev.value as Uint8Array, op.value as Uint8Array);
      next = { ...op, value, size: value.length };
    } else if (prev && older) return; // a re-queued stale value must not replace a newer one
    this.#bytes += next.size + id.length - (prev ? prev.size + id.length : 0);
    this.#ops.set(id, next);
  }

  async #commitAll(ops: _Op[]): Promise<void> {
    let group: _Op[] = [];
    let bytes = 0;
    let checks = 0;
    for (const op of ops) {
      const size = op.size + JSON.stringify(op.key).length;
      const check = op.kind === "bits" ? 1 : 0;
      if (
        group.length > 0 &&
        (group.length + 1 > this.#maxMutations || bytes + size > this.#maxBytes ||
          checks + check > MAX_CHECKS)
      ) {
        await this.#commitGroup(group);
        group = [];
        bytes = 0;
        checks = 0;
      }
      group.push(op);
      bytes += size;
      checks += check;
    }
    if (group.length > 0) await this.#commitGroup(group);
  }

  async #commitGroup(group: _Op[]): Promise<void> {
    const bits = group.filter((op) => op.kind === "bits");
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const current = await this.#read(bits.map((op) => op.key));
      // Built afresh inside the retry so a commit that hit a locked database is not reused.
      const res = await this.#runner.run(() => {
        const atomic = this.#runner.kv.atomic();
        bits.forEach((op, i) => {
          atomic.check(current[i]);
          atomic.set(op.key, orBitmaps(current[i].value as Uint8Array | undefined, op.value as Uint8Array));
        });
        for (const op of group) {
          if (op.kind === "set") atomic.set(op.key, op.value);
          else if (op.kind === "sum") atomic.sum(op.key, BigInt.asUintN(64, op.value as bigint));
        }
        return atomic.commit();
      });
      if (res.ok) return;
      // Lost a race with another writer of the same chunk: back off a little, re-read, merge again.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, round)));
    }
    throw new Error(`Part bitmap update lost ${MAX_CAS_ROUNDS} races in a row`);
  }

  async #read(keys: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<unknown>[]> {
    const out: Deno.KvEntryMaybe<unknown>[] = [];
    for (let i = 0; i < keys.length; i += 10) {
      out.push(...await this.#runner.run(() => this.#runner.kv.getMany(keys.slice(i, i + 10))));
    }
    return out;
  }
}

function _sizeOf(value: unknown): number {
  try {
    return (JSON.stringify(value, (_k, v) => typeof v === "bigint" ? String(v) : v) ?? "").length + 8;
  } catch {
    return 1024;
  }
}
