/**
 * The accounts (user sessions, bot tokens) a command shares its work between, as the engine sees
 * them: a label and until when each one waits out a rate limit. What an account can do (fetch a
 * file's parts today) is the implementation's: lib/telegram opens the pool and its accounts add
 * their own ways to work. Work goes to an account that is not paused, the item's own one first.
 */
import type { FileLane } from "./shared_file.ts";
import type { UploadLane } from "./upload_lane.ts";
import type { UploadLimits } from "./upload_plan.ts";

/** One account of a pool. */
export interface PoolAccount {
  /** The label events use for it (masked phone, `bot <id>`): never a secret. */
  readonly label: string;
  /** Until when (ms since the epoch) it waits out a FLOOD_WAIT; 0 or past = free. */
  pausedUntil(): number;
}

/** An account that fetches files of type `F` (a Telegram file, a test blob) part by part. */
export interface FileAccount<F> extends PoolAccount {
  /** This account's lane of `file` for {@link shareFile} (its own connections, its own reference). */
  lane(file: F): FileLane;
}

/**
 * An account that uploads: its lane (its own connections; Telegram keeps saved parts per account,
 * so a file's parts and its message go through one account) and the part limit the server gives it.
 */
export interface UploadAccount extends PoolAccount {
  uploadLane(): UploadLane;
  /** Read from the server's config once (premium accounts get the larger limit). */
  uploadLimits(signal?: AbortSignal): Promise<UploadLimits>;
}

/** A set of connected accounts; the first one is the main account (lists chats and messages). */
export interface AccountPool<A extends PoolAccount> {
  readonly accounts: readonly A[];
  /** Disconnects every account; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The accounts in the order the `n`-th item should use them: its own account first, picked in
 * turn among those that are free now (every account when all are paused), then every other one.
 *
 * @example
 * ```ts
 * const order = ownFirst(pool.accounts, itemNumber);
 * const shared = shareFile(fileLanes(order, file), file);
 * ```
 */
export function ownFirst<A extends PoolAccount>(accounts: readonly A[], n: number): A[] {
  if (accounts.length === 0) throw new RangeError("An account pool needs at least one account");
  // an account in a flood wait gets no new items while another one is free
  const now = Date.now();
  const free = accounts.filter((a) => a.pausedUntil() <= now);
  const from = free.length > 0 ? free : accounts;
  const own = from[n % from.length];
  return [own, ...accounts.filter((a) => a !== own)];
}

/** The lanes of one file, one per account in the given order (see {@link ownFirst}). */
export function fileLanes<F>(accounts: readonly FileAccount<F>[], file: F): FileLane[] {
  return accounts.map((a) => a.lane(file));
}
