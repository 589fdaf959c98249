/**
 * One account, described in plain data (a user session or a bot token), connected and checked.
 * A bot token logs in with auth.importBotAuthorization once; its session is cached in a 0600
 * file named by a hash of the token (never the token), and reused by the next run.
 */
import { LoginRequiredError } from "../core/errors.ts";
import type { Emit } from "../progress/events.ts";
import { openClient, type TgClient } from "./client.ts";
import { parseEndpoints } from "./endpoints.ts";
import type { ProxyConfig } from "../core/proxy.ts";
import type { EarlyOutcome } from "./early_check.ts";
import { earlyFallbackLog, takeEarlyOutcome } from "./early_registry.ts";
import { getAccount, rememberAccount } from "./get_account.ts";
import { loginBot } from "./login.ts";
import { loadSession, saveSession } from "./session_store.ts";
import { toHex } from "../core/to_hex.ts";

/** How to log one account in; `apiHash`, `sessionString` and `botToken` are secrets. */
export interface AccountSpec {
  apiId: number;
  apiHash: string;
  /** Raw telegram_endpoints JSON (the test seam); undefined = Telegram. */
  endpoints?: string;
  /** Every connection goes through this proxy; undefined = direct. */
  proxy?: ProxyConfig;
  /** A user session: a string (wins) or a session file. */
  sessionString?: string;
  sessionFile?: string;
  /** A bot's token: the account logs in as that bot. */
  botToken?: string;
  /** Where a bot token's session is cached; undefined = log in on every run. */
  botSessionDir?: string;
  /** Where the authorized keys of the account's other DCs are kept between runs; undefined = nowhere. */
  dcKeyDir?: string;
}

/**
 * Connects `spec` and checks it is logged in (this also sets the client's account label);
 * LoginRequiredError (exit 4) when the session is missing or no longer valid, or the token is bad.
 * The caller closes the client.
 */
export async function connectAccount(
  spec: AccountSpec,
  ctx: { emit?: Emit; signal?: AbortSignal } = {},
): Promise<TgClient> {
  if (spec.botToken) return await _connectBot(spec, spec.botToken, ctx);
  if (!spec.sessionString && !spec.sessionFile) {
    throw new LoginRequiredError("Not logged in; run `tgpipe login` first", "no_session");
  }
  const session = await loadSession({ file: spec.sessionFile ?? "", sessionString: spec.sessionString });
  // the early check (early_registry.ts) asks Telegram on this very session, on a connection open
  // already, while GramJS connects: a dead session ends here, and a live one needs no second
  // users.getUsers from GramJS
  const asked = performance.now();
  let answeredIn = 0;
  const early = spec.proxy
    ? undefined
    : takeEarlyOutcome({ apiId: spec.apiId, endpoints: spec.endpoints, session }).then((o) => {
      answeredIn = performance.now() - asked;
      return o;
    });
  const opening = _open(spec, session, ctx);
  opening.catch(() => {}); // awaited below; not unhandled meanwhile
  const outcome = early && await _earlyOrLate(early, opening);
  if (outcome?.kind === "dead") {
    await opening.then((c) => c.close(), () => {});
    throw outcome.error;
  }
  if (outcome?.kind === "fallback") ctx.emit?.(earlyFallbackLog(outcome.reason));
  const client = await opening;
  if (outcome?.kind !== "account") return await _checked(client);
  rememberAccount(client, outcome.account);
  // the check was the session's first round trip: GramJS's connection learns from it (its first
  // request lost in a faulted run was copied after the 2 s of an estimate with no sample)
  client.learnRoundTrip(answeredIn);
  return client;
}

/**
 * How long after its request connectAccount waits for the early check's answer once GramJS is open
 * too, ms. Past it, GramJS's own (hedged) users.getUsers checks the session: a lost early answer cost
 * the check's whole 3 s step timeout before, in every faulted run that drew it (`bench faults`).
 */
const EARLY_ANSWER_MS = 1000;

/** The early outcome, or a fallback once GramJS is open and EARLY_ANSWER_MS passed without it. */
async function _earlyOrLate(
  early: Promise<EarlyOutcome | undefined>,
  opening: Promise<unknown>,
): Promise<EarlyOutcome | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<EarlyOutcome>((resolve) => {
    timer = setTimeout(() => {
      const reason = `no answer within ${EARLY_ANSWER_MS} ms while GramJS was open`;
      opening.then(() => resolve({ kind: "fallback", reason }), () => resolve({ kind: "fallback", reason }));
    }, EARLY_ANSWER_MS);
  });
  try {
    return await Promise.race([early, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The cache file of a bot token's session in `dir`: named by a SHA-256 prefix of the token. */
export async function botSessionFile(dir: string, token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return `${dir}/bot-${toHex(new Uint8Array(digest, 0, 8))}.session`;
}

async function _connectBot(
  spec: AccountSpec,
  token: string,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  const file = spec.botSessionDir ? await botSessionFile(spec.botSessionDir, token) : undefined;
  const cached = file ? await loadSession({ file }).catch(() => undefined) : undefined;
  if (cached) {
    try {
      return await _checked(await _open(spec, cached, ctx));
    } catch (err) {
      // a revoked or reset cached session: log in with the token again
      if (!(err instanceof LoginRequiredError)) throw err;
    }
  }
  const client = await _open(spec, undefined, ctx);
  try {
    await loginBot(client, token);
    if (file) await saveSession(file, client.exportSession());
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}

function _open(
  spec: AccountSpec,
  session: string | undefined,
  ctx: { emit?: Emit; signal?: AbortSignal },
): Promise<TgClient> {
  return openClient({
    apiId: spec.apiId,
    apiHash: spec.apiHash,
    session,
    endpoints: spec.endpoints ? parseEndpoints(spec.endpoints) : undefined,
    proxy: spec.proxy,
    emit: ctx.emit,
    signal: ctx.signal,
  });
}

async function _checked(client: TgClient): Promise<TgClient> {
  try {
    await getAccount(client);
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}
