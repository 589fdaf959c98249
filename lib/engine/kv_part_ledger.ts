/**
 * A PartLedger over a ProgressStore's part bitmaps. Marks are group-committed: every markDone
 * waiting at the same moment shares one KV commit, so marking is cheap, and each call resolves
 * only after the commit that holds it, so a part is durable before it is acknowledged.
 */
import type { ProgressStore } from "../store/progress_store.ts";
import type { PartLedger } from "./file_source.ts";

/** Options of {@link KvPartLedger}. */
export interface KvPartLedgerOptions {
  /** How long a mark may wait for others to share its commit. Default 5 ms. */
  lingerMs?: number;
}

interface _Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A PartLedger keeping part bitmaps of one job in the progress store (see module comment). */
export class KvPartLedger implements PartLedger {
  #store: ProgressStore;
  #jobId: string;
  #linger: number;
  #pending = new Map<string, number[]>();
  #waiters: _Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #gens = new Map<string, number>();

  constructor(store: ProgressStore, jobId: string, opts: KvPartLedgerOptions = {}) {
    this.#store = store;
    this.#jobId = jobId;
    this.#linger = opts.lingerMs ?? 5;
  }

  async load(fileKey: string): Promise<Set<number>> {
    const bits = await this.#store.getPartBitmap(this.#jobId, await this.#bitmapName(fileKey));
    const done = new Set<number>();
    for (let i = 0; i < bits.length; i++) {
      for (let b = 0; b < 8; b++) if (bits[i] & (1 << b)) done.add(i * 8 + b);
    }
    return done;
  }

  async markDone(fileKey: string, index: number): Promise<void> {
    const name = await this.#bitmapName(fileKey);
    const list = this.#pending.get(name) ?? [];
    list.push(index);
    this.#pending.set(name, list);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#timer ??= setTimeout(() => this.#flush(), this.#linger);
    await done;
  }

  async clear(fileKey: string): Promise<void> {
    // ProgressStore cannot delete one bitmap; a new generation makes the old bits unreachable.
    await this.#drain();
    const gen = await this.#gen(fileKey) + 1;
    await this.#store.setCursor(this.#jobId, `ledger:${fileKey}`, gen);
    this.#gens.set(fileKey, gen);
  }

  /** Commits whatever is queued and waits for it. */
  async #drain(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#flush();
    }
    await this.#chain;
  }

  #flush(): void {
    this.#timer = undefined;
    const pending = this.#pending;
    const waiters = this.#waiters;
    this.#pending = new Map();
    this.#waiters = [];
    this.#chain = this.#chain.then(async () => {
      try {
        const batch = this.#store.batch();
        for (const [name, parts] of pending) await batch.markParts(this.#jobId, name, parts);
        await batch.flush();
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    });
  }

  async #gen(fileKey: string): Promise<number> {
    let gen = this.#gens.get(fileKey);
    if (gen === undefined) {
      const stored = await this.#store.getCursor(this.#jobId, `ledger:${fileKey}`);
      gen = typeof stored === "number" ? stored : 0;
      this.#gens.set(fileKey, gen);
    }
    return gen;
  }

  async #bitmapName(fileKey: string): Promise<string> {
    return `${fileKey}#${await this.#gen(fileKey)}`;
  }
}
