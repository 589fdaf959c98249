/**
 * The Telegram settings of a run, picked out of the resolved settings. Loads no GramJS: the early
 * session check (early_account.ts) needs them before GramJS is loaded.
 */
import { parseProxy, type ProxyConfig } from "../../core/proxy.ts";
import type { Settings } from "../../core/settings.ts";

/** Telegram settings of one run (from lib/cli). `sessionString` is a secret. */
export interface TelegramAccess {
  apiId: number | undefined;
  apiHash: string | undefined;
  /** Raw telegram_endpoints JSON (the test seam); undefined = Telegram. */
  endpoints: string | undefined;
  /** Every connection goes through this proxy (`--proxy`); undefined = direct. */
  proxy?: ProxyConfig;
  sessionFile: string;
  sessionString: string | undefined;
  /** A bot account: logs in with this token (a secret) instead of the session. */
  botToken?: string;
  /** Where a bot token's session is cached (the data directory). */
  dataDir?: string;
}

/** Picks the Telegram settings out of the resolved settings. */
export function telegramAccess(s: Settings): TelegramAccess {
  return {
    apiId: s.apiId,
    apiHash: s.apiHash,
    endpoints: s.telegramEndpoints,
    proxy: s.proxy ? parseProxy(s.proxy) : undefined,
    sessionFile: s.session,
    sessionString: s.sessionString,
    dataDir: s.dataDir,
  };
}
