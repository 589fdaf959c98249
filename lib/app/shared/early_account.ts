/**
 * The early session check for a run's own account (lib/telegram/early_registry.ts), seen from
 * the use cases: started from the settings before the command tree loads, and read by whoami
 * before it would load GramJS. Loads no GramJS.
 */
import type { Account } from "../../core/account.ts";
import { startEarlyCheck, takeEarlyOutcome } from "../../telegram/early_registry.ts";
import { loadSession } from "../../telegram/session_store.ts";
import type { TelegramAccess } from "./telegram_settings.ts";

/**
 * Starts the check when the account can be asked directly: API credentials and a stored session,
 * no proxy (every connection must go through it) and no bot token. Resolves once the request is
 * written or the check gave up: true when one was started.
 */
export async function startEarlyAccount(access: TelegramAccess): Promise<boolean> {
  if (!access.apiId || !access.apiHash || access.proxy || access.botToken) return false;
  const session = await _session(access);
  if (!session) return false;
  const sent = startEarlyCheck({ apiId: access.apiId, endpoints: access.endpoints, session });
  await sent;
  return sent !== undefined;
}

/**
 * The account the early check found for `access`: the Account; LoginRequiredError (exit 4) when
 * Telegram said the session is dead; undefined when no check ran for it or it could not tell
 * (GramJS then checks the session as always).
 */
export async function earlyAccount(access: TelegramAccess): Promise<Account | undefined> {
  if (!access.apiId || access.proxy || access.botToken) return undefined;
  const session = await _session(access);
  if (!session) return undefined;
  const outcome = await takeEarlyOutcome({ apiId: access.apiId, endpoints: access.endpoints, session });
  if (outcome?.kind === "dead") throw outcome.error;
  return outcome?.kind === "account" ? outcome.account : undefined;
}

async function _session(access: TelegramAccess): Promise<string | undefined> {
  try {
    return await loadSession({ file: access.sessionFile, sessionString: access.sessionString });
  } catch {
    return undefined; // no session: the normal path says so
  }
}
