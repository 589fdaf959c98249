/**
 * The KV key layout of schema v1, in one place so migrations and the store agree:
 *   ["meta", "schema"]                  number: the layout version
 *   ["job", id]                         JobRecord
 *   ["jd", id, "n", counter]            Deno.KvU64 counters (items, items_done, ...)
 *   ["jd", id, "touch"]                 number: last progress write (ms)
 *   ["jd", id, "cur", shard]            shard cursor
 *   ["jd", id, "bm", file, chunk]       Uint8Array part bitmap chunk (<= 64 KiB)
 *   ["jd", id, "item", item]            1: item done
 *   ["lease", key]                      LeaseRecord
 */
export const KEYS = {
  schema: ["meta", "schema"] as Deno.KvKey,
  jobs: ["job"] as Deno.KvKey,
  job: (id: string): Deno.KvKey => ["job", id],
  jobData: (id: string): Deno.KvKey => ["jd", id],
  counter: (id: string, name: CounterName): Deno.KvKey => ["jd", id, "n", name],
  touch: (id: string): Deno.KvKey => ["jd", id, "touch"],
  cursors: (id: string): Deno.KvKey => ["jd", id, "cur"],
  cursor: (id: string, shard: string): Deno.KvKey => ["jd", id, "cur", shard],
  bitmapChunk: (id: string, file: string, chunk: number): Deno.KvKey => ["jd", id, "bm", file, chunk],
  bitmap: (id: string, file: string): Deno.KvKey => ["jd", id, "bm", file],
  item: (id: string, item: string): Deno.KvKey => ["jd", id, "item", item],
  lease: (key: string): Deno.KvKey => ["lease", key],
};

/** The job counters, stored as Deno.KvU64 so concurrent writers can add without conflicts. */
export type CounterName = "items" | "items_done" | "items_failed" | "bytes" | "bytes_done";

/** Counter names in a fixed order (getMany reads them in one call). */
export const COUNTERS: readonly CounterName[] = [
  "items",
  "items_done",
  "items_failed",
  "bytes",
  "bytes_done",
];

/** The job fields stored in ["job", id]; counters live apart. */
export interface JobRecord {
  id: string;
  command: string;
  args: string;
  state: "running" | "done" | "failed" | "stopped";
  createdAt: number;
  updatedAt: number;
  meta: Record<string, unknown>;
}

/** What ["lease", key] holds. */
export interface LeaseRecord {
  owner: string;
  expiresAt: number;
}
