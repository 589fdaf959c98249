import type { ProgressStore } from "./progress_store.ts";
import { KvProgressStore } from "./kv_progress_store.ts";
import { openKv, type OpenKvOptions } from "./open_kv.ts";

/** Options of `openProgressStore`. */
export interface OpenProgressStoreOptions extends OpenKvOptions {
  /** Milliseconds clock for lease expiry. Default Date.now (tests inject their own). */
  now?: () => number;
}

/**
 * Opens the progress store at `location` (needs --unstable-kv): a KV file path, an http(s) KV
 * Connect URL (Deno reads the token from DENO_KV_ACCESS_TOKEN itself; see docs/store.md), or
 * ":memory:". Applies pending schema migrations; refuses a store from a newer tgpipe.
 *
 * @example
 * ```ts
 * const store = await openProgressStore("/tmp/progress.kv", { createParent: true });
 * try {
 *   const { job } = await store.startJob({ command: "export", key: "chat:1" });
 * } finally {
 *   store.close();
 * }
 * ```
 */
export async function openProgressStore(
  location: string,
  opts: OpenProgressStoreOptions = {},
): Promise<ProgressStore> {
  const db = await openKv(location, opts);
  return new KvProgressStore(db.kv, { location, kind: db.kind, retry: db.retry, now: opts.now });
}
