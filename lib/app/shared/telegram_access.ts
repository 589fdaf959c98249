/**
 * What every Telegram-using command needs from settings, and the one way to get a connected
 * client for the stored session.
 */
import { UsageError } from "../../core/errors.ts";
import type { Settings } from "../../core/settings.ts";
import type { Emit } from "../../progress/events.ts";
import { openClient, type TgClient } from "../../telegram/client.ts";
import { parseEndpoints } from "../../telegram/endpoints.ts";
import { getAccount } from "../../telegram/get_account.ts";
import { loadSession } from "../../telegram/session_store.ts";

/** Telegram settings of one run (from lib/cli). `sessionString` is a secret. */
export interface TelegramAccess {
  apiId: number | undefined;
  apiHash: string | undefined;
  /** Raw telegram_endpoints JSON (the test seam); undefined = Telegram. */
  endpoints: string | undefined;
  sessionFile: string;
  sessionString: string | undefined;
}

/** Picks the Telegram settings out of the resolved settings. */
export function telegramAccess(s: Settings): TelegramAccess {
  return {
    apiId: s.apiId,
    apiHash: s.apiHash,
    endpoints: s.telegramEndpoints,
    sessionFile: s.session,
    sessionString: s.sessionString,
  };
}

/** Opens a client on `session` (undefined = a fresh one, for login). */
export async function connectWith(
  access: TelegramAccess,
  session: string | undefined,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  if (!access.apiId || !access.apiHash) {
    throw new UsageError(
      "Telegram API credentials missing: set TGPIPE_API_ID and TGPIPE_API_HASH (from my.telegram.org)",
    );
  }
  return await openClient({
    apiId: access.apiId,
    apiHash: access.apiHash,
    session,
    endpoints: access.endpoints ? parseEndpoints(access.endpoints) : undefined,
    emit: ctx.emit,
    signal: ctx.signal,
  });
}

/**
 * Connects with the stored session (string setting, else the session file) and checks that
 * it is logged in; LoginRequiredError (exit 4) otherwise. The caller closes the client.
 */
export async function connectAccount(
  access: TelegramAccess,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  const session = await loadSession({ file: access.sessionFile, sessionString: access.sessionString });
  const client = await connectWith(access, session, ctx);
  try {
    await getAccount(client); // also sets the account label used by events
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}
