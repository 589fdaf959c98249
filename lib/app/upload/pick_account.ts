/**
 * Which account sends a file: each account has its own part limit (a premium account takes
 * files twice as big), so a file goes to the first account, the item's own first, whose limit
 * takes it; a file too big for every account is too_big with the largest limit of them.
 */
import { maxUploadSize, TooBigError, type UploadLimits } from "../../engine/upload_plan.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";

/** An account and its limits. */
export interface PickedAccount {
  account: TelegramAccount;
  limits: UploadLimits;
}

/**
 * The first of `accounts` whose limit takes every size in `sizes`; with a size not known yet, the
 * one with the largest limit. TooBigError when none does.
 */
export async function pickAccount(
  accounts: readonly TelegramAccount[],
  sizes: Array<number | undefined>,
  signal?: AbortSignal,
): Promise<PickedAccount> {
  const largest = Math.max(0, ...sizes.map((s) => s ?? 0));
  const unknown = sizes.includes(undefined);
  let best: PickedAccount | undefined;
  for (const account of accounts) {
    const limits = await account.uploadLimits(signal);
    if (!unknown && largest <= maxUploadSize(limits)) return { account, limits };
    if (!best || limits.maxParts > best.limits.maxParts) best = { account, limits };
  }
  // a size known only at the end: the account that takes the most (the first of equals)
  if (unknown && largest <= maxUploadSize(best!.limits)) return best!;
  throw new TooBigError(largest, maxUploadSize(best!.limits));
}

/** The largest file (bytes) any of `accounts` may send. */
export async function largestUpload(
  accounts: readonly TelegramAccount[],
  signal?: AbortSignal,
): Promise<number> {
  const all = await Promise.all(accounts.map((a) => a.uploadLimits(signal)));
  return Math.max(...all.map((l) => maxUploadSize(l)));
}
