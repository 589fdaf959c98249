/** `tgpipe login`: sign in (phone+code+2FA, bot token, or an imported string) and store the session. */
import type { Account } from "../../core/account.ts";
import { UsageError } from "../../core/errors.ts";
import type { Emit } from "../../progress/events.ts";
import { loginBot, loginUser } from "../../telegram/login.ts";
import { loginQr } from "../../telegram/login_qr.ts";
import { getAccount } from "../../telegram/get_account.ts";
import { saveSession } from "../../telegram/session_store.ts";
import { connectWith, type TelegramAccess } from "../shared/telegram_access.ts";

/** Asks the user for one value; undefined when nobody can answer (no terminal). */
export type Ask = (question: string, opts: { secret: boolean }) => Promise<string | undefined>;

/** How to log in. Values not given are asked for through `ask`. */
export type LoginMethod =
  | { kind: "user"; phone?: string; code?: string; password?: string }
  | { kind: "bot"; token: string }
  | { kind: "string"; session: string }
  /** QR code: a Telegram app where the account is logged in scans it; the password is asked after. */
  | { kind: "qr"; password?: string };

/** Options of login. */
export interface LoginOptions {
  access: TelegramAccess;
  method: LoginMethod;
  ask?: Ask;
  /** QR login: shows each new login URL (as a QR code). */
  show?: (url: string, expires: number) => void;
  emit?: Emit;
  signal?: AbortSignal;
}

/** Logs in and writes the session file (0600) only after Telegram accepted the login. */
export async function login(opts: LoginOptions): Promise<Account & { session_file: string }> {
  const { method } = opts;
  const client = await connectWith(opts.access, method.kind === "string" ? method.session : undefined, opts);
  try {
    let account: Account;
    if (method.kind === "bot") account = await loginBot(client, method.token);
    else if (method.kind === "string") account = await getAccount(client);
    else if (method.kind === "qr") {
      account = await loginQr(client, {
        show: opts.show ?? (() => {}),
        password: (hint, attempt) => _password(opts.ask, method.password, hint, attempt),
        signal: opts.signal,
      });
    } else {
      const phone = method.phone ??
        await _ask(opts.ask, "Phone number (international format): ", false, "--phone");
      account = await loginUser(client, {
        phone,
        // a wrong code or password is asked again when there is a terminal (3 tries in all)
        code: async (via, attempt) =>
          attempt === 1
            ? method.code ?? await _ask(opts.ask, `Code sent via ${via}: `, false, "--code")
            : await _askAgain(opts.ask, "The code is wrong. Code: ", false),
        password: async (hint, attempt) =>
          attempt === 1
            ? method.password ??
              await _ask(
                opts.ask,
                `2FA password${hint ? ` (hint: ${hint})` : ""}: `,
                true,
                "--password or TGPIPE_PASSWORD",
              )
            : await _askAgain(
              opts.ask,
              `The password is wrong. 2FA password${hint ? ` (hint: ${hint})` : ""}: `,
              true,
            ),
      });
    }
    await saveSession(opts.access.sessionFile, client.exportSession());
    return { ...account, session_file: opts.access.sessionFile };
  } finally {
    await client.close();
  }
}

async function _password(
  ask: Ask | undefined,
  given: string | undefined,
  hint: string | undefined,
  attempt: number,
): Promise<string | undefined> {
  const h = hint ? ` (hint: ${hint})` : "";
  if (attempt > 1) return await _askAgain(ask, `The password is wrong. 2FA password${h}: `, true);
  return given ?? await _ask(ask, `2FA password${h}: `, true, "--password or TGPIPE_PASSWORD");
}

/** Asks again after a wrong answer; undefined (give up) without a terminal or on an empty answer. */
async function _askAgain(
  ask: Ask | undefined,
  question: string,
  secret: boolean,
): Promise<string | undefined> {
  const answer = ask ? await ask(question, { secret }) : undefined;
  return answer?.trim() || undefined;
}

async function _ask(ask: Ask | undefined, question: string, secret: boolean, flag: string): Promise<string> {
  const answer = ask ? await ask(question, { secret }) : undefined;
  if (answer === undefined || answer.trim() === "") {
    throw new UsageError(`${question.replace(/[:\s(].*$/, "")} needed: pass ${flag}, or run in a terminal`);
  }
  return answer.trim();
}
