/**
 * What every Telegram-using command needs from settings, and the one way to get a connected
 * client for the stored session.
 */
import { UsageError } from "../../core/errors.ts";
import type { Emit } from "../../progress/events.ts";
import { openClient, type TgClient } from "../../telegram/client.ts";
import { type AccountSpec, connectAccount as connectSpec } from "../../telegram/connect_account.ts";
import { parseEndpoints } from "../../telegram/endpoints.ts";
import type { TelegramAccess } from "./telegram_settings.ts";

// lives in telegram_settings.ts (which loads no GramJS, for the early session check); re-exported
export { type TelegramAccess, telegramAccess } from "./telegram_settings.ts";

/**
 * The accounts of a run: the session's own first, then `--account` sessions (a file, or a session
 * string) and bot tokens (`--bot-token` and the bot_tokens setting), each with the same API keys.
 */
export function accountList(
  primary: TelegramAccess,
  more: { sessions?: string[]; botTokens?: string[] },
): TelegramAccess[] {
  const sessions = (more.sessions ?? []).map((s): TelegramAccess =>
    /^1[A-Za-z0-9+/=_-]{300,}$/.test(s)
      ? { ...primary, sessionString: s }
      : { ...primary, sessionString: undefined, sessionFile: s }
  );
  const bots = [...new Set(more.botTokens ?? [])].map((t): TelegramAccess => ({ ...primary, botToken: t }));
  return [primary, ...sessions, ...bots];
}

/** The lib/telegram description of an account; UsageError (exit 2) without API credentials. */
export function accountSpec(access: TelegramAccess): AccountSpec {
  if (!access.apiId || !access.apiHash) throw _noCredentials();
  return {
    apiId: access.apiId,
    apiHash: access.apiHash,
    endpoints: access.endpoints,
    proxy: access.proxy,
    dcKeyDir: dcKeyDir(access),
    ...(access.botToken
      ? { botToken: access.botToken, botSessionDir: access.dataDir && `${access.dataDir}/bots` }
      : { sessionFile: access.sessionFile, sessionString: access.sessionString }),
  };
}

/** Where the authorized keys of an account's other DCs are kept (`<data dir>/dc-keys`); undefined without a data dir. */
export function dcKeyDir(access: TelegramAccess): string | undefined {
  return access.dataDir && `${access.dataDir}/dc-keys`;
}

/** Opens a client on `session` (undefined = a fresh one, for login). */
export async function connectWith(
  access: TelegramAccess,
  session: string | undefined,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  if (!access.apiId || !access.apiHash) throw _noCredentials();
  return await openClient({
    apiId: access.apiId,
    apiHash: access.apiHash,
    session,
    endpoints: access.endpoints ? parseEndpoints(access.endpoints) : undefined,
    proxy: access.proxy,
    emit: ctx.emit,
    signal: ctx.signal,
  });
}

/**
 * Connects with the stored session (string setting, else the session file), or the bot token,
 * and checks that it is logged in; LoginRequiredError (exit 4) otherwise. The caller closes it.
 */
export async function connectAccount(
  access: TelegramAccess,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  return await connectSpec(accountSpec(access), ctx);
}

function _noCredentials(): UsageError {
  return new UsageError(
    "Telegram API credentials missing: set TGPIPE_API_ID and TGPIPE_API_HASH (from my.telegram.org)",
  );
}
