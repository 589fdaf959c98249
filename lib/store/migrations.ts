import { StoreError } from "../core/errors.ts";
import { COUNTERS, type JobRecord, KEYS } from "./kv_keys.ts";

/** One step of the KV layout; `run` must be safe to repeat (a crash can interrupt it). */
export interface Migration {
  from: number;
  to: number;
  description: string;
  run(kv: Deno.Kv): Promise<void>;
}

/**
 * Schema v0 is the layout before versioning (no ["meta", "schema"] key):
 *   ["jobs", id]            { id, command, args, state, created, updated, totals: { items,
 *                            items_done, items_failed, bytes, bytes_done }, meta? }
 *   ["cursor", id, shard]   shard cursor
 * An empty database is v0 too; migrating it only writes the version.
 */
export interface V0Job {
  id: string;
  command: string;
  args: string;
  state: JobRecord["state"];
  created: number;
  updated: number;
  totals: Record<"items" | "items_done" | "items_failed" | "bytes" | "bytes_done", number>;
  meta?: Record<string, unknown>;
}

/** Every migration, in order; the last `to` is the schema this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    to: 1,
    description: "jobs move to [job, id] with KvU64 counters; cursors under [jd, id, cur]",
    async run(kv) {
      for await (const e of kv.list<V0Job>({ prefix: ["jobs"] })) {
        const old = e.value;
        const rec: JobRecord = {
          id: old.id,
          command: old.command,
          args: old.args ?? "",
          state: old.state,
          createdAt: old.created,
          updatedAt: old.updated,
          meta: old.meta ?? {},
        };
        const atomic = kv.atomic().check(e).set(KEYS.job(rec.id), rec).delete(e.key);
        for (const name of COUNTERS) {
          atomic.set(
            KEYS.counter(rec.id, name),
            new Deno.KvU64(BigInt(Math.max(0, old.totals?.[name] ?? 0))),
          );
        }
        await atomic.commit(); // a failed check means another process moved it already
      }
      for await (const e of kv.list({ prefix: ["cursor"] })) {
        const [, id, shard] = e.key as [string, string, string];
        await kv.atomic().check(e).set(KEYS.cursor(id, shard), e.value).delete(e.key).commit();
      }
    },
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].to;

/**
 * Brings a store to SCHEMA_VERSION, applying the migrations it lacks in order, and returns the
 * version it found. A store written by a newer tgpipe is refused with a StoreError.
 */
export async function migrateStore(
  kv: Deno.Kv,
  location: string,
  opts: { run?: <T>(fn: () => Promise<T>) => Promise<T>; migrations?: readonly Migration[] } = {},
): Promise<number> {
  const run = opts.run ?? ((fn) => fn());
  const migrations = opts.migrations ?? MIGRATIONS;
  const target = migrations.length > 0 ? migrations[migrations.length - 1].to : 0;
  const first = await run(() => kv.get<number>(KEYS.schema));
  const found = first.value ?? 0;
  let entry = first;
  while (true) {
    const version = entry.value ?? 0;
    if (typeof version !== "number" || version > target) {
      throw new StoreError(
        `Progress store ${location} has schema v${version}, newer than this tgpipe understands (v${target}); ` +
          `upgrade tgpipe or use another --kv`,
        location,
      );
    }
    if (version === target) return found;
    const step = migrations.find((m) => m.from === version);
    if (!step) throw new StoreError(`No migration from schema v${version} in ${location}`, location);
    await run(() => step.run(kv));
    // The check makes concurrent openers agree: whoever loses re-reads and continues from there.
    await run(() => kv.atomic().check(entry).set(KEYS.schema, step.to).commit());
    entry = await run(() => kv.get<number>(KEYS.schema));
  }
}
