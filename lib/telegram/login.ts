/**
 * Signing in: phone + code (+ 2FA password through SRP, the password never leaves this
 * process), or a bot token. Failures are LoginRequiredError (exit 4) with a reason.
 */
import { Api } from "telegram";
import { computeCheck } from "telegram/Password.js";
import { LoginRequiredError, TelegramError } from "../core/errors.ts";
import type { Account } from "../core/account.ts";
import type { TgClient } from "./client.ts";
import { getAccount } from "./get_account.ts";
import { gramOf } from "./_gram.ts";

/**
 * How a user login gets its inputs; code and password are asked only when needed. `attempt` is 1
 * first and counts up after a wrong answer; returning undefined gives up (the error stands).
 */
export interface UserLogin {
  phone: string;
  /** Returns the login code Telegram just sent (`via` says where: app, sms, ...). */
  code: (via: string, attempt: number) => Promise<string | undefined>;
  /** Returns the 2FA password; `hint` is the account's password hint. */
  password: (hint: string | undefined, attempt: number) => Promise<string | undefined>;
}

/** Wrong codes or passwords a person may type before the login ends (Telegram allows a few). */
export const LOGIN_TRIES = 3;

const FAILURES: Record<string, [string, string]> = {
  PHONE_NUMBER_INVALID: ["The phone number is not valid", "bad_phone"],
  PHONE_NUMBER_BANNED: ["This phone number is banned from Telegram", "phone_banned"],
  PHONE_NUMBER_UNOCCUPIED: [
    "No Telegram account uses this phone number; sign up in a Telegram app",
    "no_account",
  ],
  PHONE_CODE_INVALID: ["The login code is wrong", "wrong_code"],
  PHONE_CODE_EMPTY: ["The login code is empty", "wrong_code"],
  PHONE_CODE_EXPIRED: ["The login code expired; run `tgpipe login` again", "code_expired"],
  PASSWORD_HASH_INVALID: ["The 2FA password is wrong", "wrong_password"],
  ACCESS_TOKEN_INVALID: ["The bot token is invalid", "invalid_token"],
  ACCESS_TOKEN_EXPIRED: ["The bot token was revoked", "invalid_token"],
  API_ID_INVALID: ["The api_id/api_hash pair is not valid (see my.telegram.org)", "bad_api_id"],
};

/** Signs in a user by phone and code, then the 2FA password when the account has one. */
export async function loginUser(client: TgClient, login: UserLogin): Promise<Account> {
  const gram = gramOf(client);
  const phone = login.phone.replace(/[\s()-]/g, "");
  const sent = await _guard(() =>
    client.call<Api.auth.TypeSentCode>(
      new Api.auth.SendCode({
        phoneNumber: phone,
        apiId: gram.apiId,
        apiHash: gram.apiHash,
        settings: new Api.CodeSettings({}),
      }),
    )
  );
  if (sent instanceof Api.auth.SentCodeSuccess) return getAccount(client);
  const { phoneCodeHash, type } = sent as Api.auth.SentCode;
  try {
    const auth = await _tries("wrong_code", "PHONE_CODE_EMPTY", async (n) => {
      const code = (await login.code(_via(type), n))?.trim();
      if (code === undefined) return undefined;
      return await _guard(() =>
        client.call<Api.auth.TypeAuthorization>(
          new Api.auth.SignIn({ phoneNumber: phone, phoneCodeHash, phoneCode: code }),
        )
      );
    });
    if (auth instanceof Api.auth.AuthorizationSignUpRequired) throw _fail("PHONE_NUMBER_UNOCCUPIED");
  } catch (err) {
    if (!(err instanceof TelegramError && err.rpcMessage === "SESSION_PASSWORD_NEEDED")) throw err;
    await passwordStep(client, login.password);
  }
  return getAccount(client);
}

/**
 * The 2FA step after Telegram answered SESSION_PASSWORD_NEEDED (a code or QR login): the password
 * is proven through SRP and never leaves this process; a wrong one is asked again (LOGIN_TRIES).
 */
export async function passwordStep(client: TgClient, password: UserLogin["password"]): Promise<void> {
  await _tries("wrong_password", "PASSWORD_HASH_INVALID", async (n) => {
    // SRP parameters change after every check: each try fetches them and computes its proof afresh
    const pwd = await client.call<Api.account.Password>(new Api.account.GetPassword());
    const answer = await password(pwd.hint ?? undefined, n);
    if (answer === undefined) return undefined;
    const srp = await computeCheck(pwd, answer);
    return await _guard(() => client.call(new Api.auth.CheckPassword({ password: srp })));
  });
}

/**
 * Runs `once` until it succeeds, at most LOGIN_TRIES times while it fails with `reason` (a wrong
 * code or password); `once` returning undefined gives up with the last failure.
 */
async function _tries<T>(
  reason: string,
  empty: string,
  once: (attempt: number) => Promise<T | undefined>,
): Promise<T> {
  let last: LoginRequiredError = _fail(empty);
  for (let n = 1; n <= LOGIN_TRIES; n++) {
    try {
      const r = await once(n);
      if (r === undefined) throw last;
      return r;
    } catch (err) {
      if (!(err instanceof LoginRequiredError) || err.reason !== reason || err === last) throw err;
      last = err;
    }
  }
  throw last;
}

/** Signs in as a bot with its token. */
export async function loginBot(client: TgClient, token: string): Promise<Account> {
  const gram = gramOf(client);
  await _guard(() =>
    client.call(
      new Api.auth.ImportBotAuthorization({
        flags: 0,
        apiId: gram.apiId,
        apiHash: gram.apiHash,
        botAuthToken: token,
      }),
    )
  );
  return getAccount(client);
}

/** Logs the session out on Telegram's side (auth.logOut); the key is useless afterwards. */
export async function logOut(client: TgClient): Promise<void> {
  await client.call(new Api.auth.LogOut());
}

async function _guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TelegramError && err.rpcMessage in FAILURES) throw _fail(err.rpcMessage);
    throw err;
  }
}

function _fail(rpc: string): LoginRequiredError {
  const [message, reason] = FAILURES[rpc];
  return new LoginRequiredError(message, reason);
}

function _via(type: Api.auth.TypeSentCodeType | undefined): string {
  const name = type?.className ?? "";
  if (name.endsWith("App")) return "the Telegram app";
  if (name.endsWith("Sms") || name.includes("Sms")) return "SMS";
  if (name.endsWith("Call") || name.endsWith("FlashCall")) return "a phone call";
  if (name.includes("Email")) return "email";
  return "Telegram";
}
