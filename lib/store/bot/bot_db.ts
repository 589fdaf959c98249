/** The database handle every bot repository works on: KV, its lock-retry wrapper and the clock. */
export interface BotDb {
  kv: Deno.Kv;
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Milliseconds clock (tests inject their own). */
  now(): number;
}

const CAS_ROUNDS = 100;

/**
 * Reads `key`, lets `change` compute the new value (and extra mutations on the same atomic
 * operation), and commits only if nobody wrote the key meanwhile; retries on a lost race.
 * `change` returning undefined leaves everything as it is.
 */
export async function casUpdate<T, R>(
  db: BotDb,
  key: Deno.KvKey,
  change: (old: T | null) => { value: T; result: R; extra?: (op: Deno.AtomicOperation) => void } | undefined,
): Promise<R | undefined> {
  for (let round = 0; round < CAS_ROUNDS; round++) {
    const entry = await db.run(() => db.kv.get<T>(key));
    const next = change(entry.value);
    if (!next) return undefined;
    const res = await db.run(() => {
      const op = db.kv.atomic().check(entry).set(key, next.value);
      next.extra?.(op);
      return op.commit();
    });
    if (res.ok) return next.result;
  }
  throw new Error(`KV key ${JSON.stringify(key)} lost ${CAS_ROUNDS} races in a row`);
}

/** Reads the values under `keys` (at most 10 per KV call), in order; missing ones are null. */
export async function getValues<T>(db: BotDb, keys: Deno.KvKey[]): Promise<(T | null)[]> {
  const out: (T | null)[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    const batch = await db.run(() => db.kv.getMany<T[]>(keys.slice(i, i + 10)));
    for (const e of batch) out.push(e.value);
  }
  return out;
}
