import type { BotUser } from "../../core/bot_types.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import type { BotSettings, BotUserRecord } from "../../core/bot_records.ts";
import { type Admission, admit, POLICY_REPLIES, rateLimitFor } from "./bot_policy.ts";
import { slidingWindow } from "./rate_window.ts";

/** The outcome of checking one incoming request. */
export interface RequestCheck {
  admission: Admission;
  user: BotUserRecord;
  settings: BotSettings;
  /** True when this contact created the user. */
  created: boolean;
}

/**
 * Runs the policy on one request from `from`: records the contact, then ban (claiming the one
 * notice in the store so it is sent once, even across restarts), disabled, maintenance, and the
 * persisted per-user rate limit. Only requests that count (`counts`, e.g. links; not /help) take
 * a rate-limit slot.
 */
export async function checkRequest(
  store: BotStore,
  from: BotUser,
  opts: { admin?: boolean; counts?: boolean } = {},
): Promise<RequestCheck> {
  const { user, created } = await store.users.seen(from);
  const settings = await store.settings.get();
  const firstBanNotice = user.banned ? await store.users.claimBanNotice(user.id) : false;
  const admission = admit(user, settings, { admin: opts.admin, firstBanNotice });
  if (admission.kind !== "serve" || opts.counts === false || opts.admin) {
    return { admission, user, settings, created };
  }
  const limit = rateLimitFor(user, settings);
  const d = await store.rate.take(user.id, (times, now) => slidingWindow(times, now, { limit }));
  if (d.allowed) return { admission, user, settings, created };
  const seconds = Math.max(1, Math.ceil(d.retry_after_ms / 1000));
  const reply = POLICY_REPLIES.rateLimited(limit, seconds);
  return {
    admission: { kind: "rate_limited", reply, retry_after_ms: d.retry_after_ms },
    user,
    settings,
    created,
  };
}
