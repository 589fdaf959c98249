import { StoreError, TgpipeError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_codes.ts";
import { type LockRetryOptions, withLockRetry } from "./lock_retry.ts";
import { migrateStore, type Migration } from "./migrations.ts";
import { parseStoreLocation, pathExists, type StoreKind } from "./store_location.ts";

/** Options of `openKv` (and of the stores opened on top of it). */
export interface OpenKvOptions {
  /** Stops lock-retry waits (and so the command) when aborted. */
  signal?: AbortSignal;
  /** Create a missing parent directory; the CLI sets it for the default location only. Default false. */
  createParent?: boolean;
  /** Lock-retry tuning (attempts, first delay). */
  retry?: Omit<LockRetryOptions, "signal">;
  /** Migration list to apply instead of the built-in one (tests). */
  migrations?: readonly Migration[];
}

/** An opened, migrated progress-store database with its lock-retry wrapper. */
export interface OpenedKv {
  kv: Deno.Kv;
  location: string;
  kind: StoreKind;
  retry: LockRetryOptions;
  /** Runs a KV call, retrying while the database is locked by another writer. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Opens the Deno KV database of the progress store at `location` (file, KV Connect URL or
 * ":memory:") and brings its schema up to date; the progress store and the bot's store both
 * sit on it, so they share one database and one migration history.
 */
export async function openKv(location: string, opts: OpenKvOptions = {}): Promise<OpenedKv> {
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
  return { kv, location, kind: loc.kind, retry, run };
}

function _firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0].trim();
}
