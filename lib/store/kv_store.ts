import { StoreError, TgpipeError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_codes.ts";
import type { ProgressStore } from "./progress_store.ts";
import { KvProgressStore } from "./kv_progress_store.ts";
import { type LockRetryOptions, withLockRetry } from "./lock_retry.ts";
import { migrateStore, type Migration } from "./migrations.ts";
import { parseStoreLocation, pathExists } from "./store_location.ts";

/** Options of `openProgressStore`. */
export interface OpenProgressStoreOptions {
  /** Stops lock-retry waits (and so the command) when aborted. */
  signal?: AbortSignal;
  /** Create a missing parent directory; the CLI sets it for the default location only. Default false. */
  createParent?: boolean;
  /** Lock-retry tuning (attempts, first delay). */
  retry?: Omit<LockRetryOptions, "signal">;
  /** Migration list to apply instead of the built-in one (tests). */
  migrations?: readonly Migration[];
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
  const loc = parseStoreLocation(location);
  if (loc.kind === "file" && !(await pathExists(loc.dir!))) {
    if (!opts.createParent) {
      throw new StoreError(
        `Directory ${loc.dir} for the progress store does not exist; create it first`,
        location,
        undefined,
        // a typo in --kv is bad input: nothing is created for it
        ExitCode.USAGE,
      );
    }
    await Deno.mkdir(loc.dir!, { recursive: true });
  }
  const retry: LockRetryOptions = { ...opts.retry, signal: opts.signal };
  const run = <T>(fn: () => Promise<T>) => withLockRetry(fn, retry);
  let kv: Deno.Kv;
  try {
    kv = await run(() => Deno.openKv(location));
  } catch (err) {
    throw new StoreError(`Cannot open progress store ${location}: ${_firstLine(err)}`, location, err);
  }
  try {
    await migrateStore(kv, location, { run, migrations: opts.migrations });
  } catch (err) {
    kv.close();
    if (err instanceof TgpipeError) throw err;
    throw new StoreError(`Cannot migrate progress store ${location}: ${_firstLine(err)}`, location, err);
  }
  return new KvProgressStore(kv, { location, kind: loc.kind, retry, now: opts.now });
}

function _firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0].trim();
}
