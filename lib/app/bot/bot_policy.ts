import type { BotSettings, BotUserRecord } from "../../core/bot_records.ts";
import { formatBytes } from "../../core/format.ts";

/** Whether the bot serves a request, and the reply when it does not. */
export type Admission =
  | { kind: "serve" }
  /** `reply` is set only the first time (the one ban notice); after that the bot says nothing. */
  | { kind: "banned"; reply?: string }
  | { kind: "disabled"; reply: string }
  | { kind: "maintenance"; reply: string }
  | { kind: "rate_limited"; reply: string; retry_after_ms: number };

/** Replies of the policy, in one place. */
export const POLICY_REPLIES = {
  banned: "You are banned from using this bot.",
  disabled: "The bot is turned off for now. Please try again later.",
  rateLimited: (limit: number, seconds: number) =>
    `Too many requests: at most ${limit} a minute. Try again in ${seconds} s.`,
  tooBig: (size: number, max: number, premium: boolean) =>
    `This file is ${formatBytes(size)}, more than the ${formatBytes(max)} limit` +
    (premium ? "." : " (premium users get a larger one)."),
};

/** The largest file the user may get: premium users get the settings' premium limit. */
export function maxFileSizeFor(user: Pick<BotUserRecord, "premium">, settings: BotSettings): number {
  return user.premium
    ? Math.max(settings.premium_max_file_size, settings.max_file_size)
    : settings.max_file_size;
}

/** Requests a minute the user may make. */
export function rateLimitFor(user: Pick<BotUserRecord, "premium">, settings: BotSettings): number {
  return user.premium
    ? Math.max(settings.premium_rate_limit_per_minute, settings.rate_limit_per_minute)
    : settings.rate_limit_per_minute;
}

/** The refusal for a file over the user's limit, or undefined when it may be sent. */
export function fileSizeRefusal(
  size: number,
  user: Pick<BotUserRecord, "premium">,
  settings: BotSettings,
): string | undefined {
  const max = maxFileSizeFor(user, settings);
  return size > max ? POLICY_REPLIES.tooBig(size, max, user.premium) : undefined;
}

/**
 * Decides a request before the rate limit: banned users first (one notice, which the caller
 * records: `firstBanNotice` says whether this is it), then a disabled bot, then maintenance.
 * Admins pass everything but a ban so they can test the bot while it is closed.
 */
export function admit(
  user: Pick<BotUserRecord, "banned">,
  settings: BotSettings,
  opts: { admin?: boolean; firstBanNotice?: boolean } = {},
): Admission {
  if (user.banned) {
    return opts.firstBanNotice ? { kind: "banned", reply: POLICY_REPLIES.banned } : { kind: "banned" };
  }
  if (opts.admin) return { kind: "serve" };
  if (!settings.enabled) return { kind: "disabled", reply: POLICY_REPLIES.disabled };
  if (settings.maintenance_message) return { kind: "maintenance", reply: settings.maintenance_message };
  return { kind: "serve" };
}
