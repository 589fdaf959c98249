/**
 * The early session check for a run's own account (lib/telegram/early_registry.ts), seen from
 * the use cases: started from the settings before the command tree loads (only a ping goes out),
 * and taken by whoami before it would load GramJS, or by connectAccount (the request goes out
 * then, once the command's input was checked). Loads no GramJS.
 */
// first: GramJS's schema cache is checked before any GramJS module runs (see the file). The warm-up
// now starts only once the early request is out, so an action may load its use case, and GramJS
// through it, before lib/telegram/client.ts (whose first import this is otherwise)
import "../../telegram/schema_cache.ts";
import type { Account } from "../../core/account.ts";
import type { Emit } from "../../progress/events.ts";
import {
  earlyFallbackLog,
  noteEarlyStart,
  startEarlyCheck,
  takeEarlyOutcome,
} from "../../telegram/early_registry.ts";
import { loadSession } from "../../telegram/session_store.ts";
import type { TelegramAccess } from "./telegram_settings.ts";

/**
 * Starts the check when the account can be asked directly: API credentials and a stored session,
 * no proxy (every connection must go through it) and no bot token. Resolves once the check is
 * ready to send its request (connected, the server's salt known) or gave up: true when one was
 * started. The request itself goes out when earlyAccount or connectAccount takes the outcome.
 */
export async function startEarlyAccount(access: TelegramAccess): Promise<boolean> {
  if (!access.apiId || !access.apiHash || access.proxy || access.botToken) return false;
  const apiId = access.apiId;
  // (an object around `ready`: a promise would be flattened into this one's value)
  const registered = _session(access).then((session) => ({
    ready: session ? startEarlyCheck({ apiId, endpoints: access.endpoints, session }) : undefined,
  }));
  // a connect that asks for the outcome while the session file is read waits for it
  noteEarlyStart(registered);
  const { ready } = await registered;
  await ready;
  return ready !== undefined;
}

/**
 * The account the early check found for `access`: the Account; LoginRequiredError (exit 4) when
 * Telegram said the session is dead; undefined when no check ran for it or it could not tell
 * (GramJS then checks the session as always; `emit` gets a debug line saying why).
 */
export async function earlyAccount(access: TelegramAccess, emit?: Emit): Promise<Account | undefined> {
  if (!access.apiId || access.proxy || access.botToken) return undefined;
  const session = await _session(access);
  if (!session) return undefined;
  const outcome = await takeEarlyOutcome({ apiId: access.apiId, endpoints: access.endpoints, session });
  if (outcome?.kind === "dead") throw outcome.error;
  if (outcome?.kind === "fallback") emit?.(earlyFallbackLog(outcome.reason));
  return outcome?.kind === "account" ? outcome.account : undefined;
}

async function _session(access: TelegramAccess): Promise<string | undefined> {
  try {
    return await loadSession({ file: access.sessionFile, sessionString: access.sessionString });
  } catch {
    return undefined; // no session: the normal path says so
  }
}
