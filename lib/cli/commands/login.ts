import { Command } from "@commander-js/extra-typings";
import type { LoginMethod } from "../../app/account/login.ts";
import { UsageError } from "../../core/errors.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";
import { namedSessionFile } from "../named_accounts.ts";

const EXAMPLES = `
Examples:
  tgpipe login                                  # asks for phone, code and 2FA password
  tgpipe login --phone +15550000001 --code 12345
  TGPIPE_PASSWORD=... tgpipe login --phone +15550000002 --code 12345
  TGPIPE_BOT_TOKEN=123456:ABC... tgpipe login --bot
  tgpipe login --session-string "$(cat old.session)"
  tgpipe login --name work                      # a named account: then --session work, --account work
  tgpipe login --qr                             # scan the QR code in a Telegram app (Link Desktop Device)

Needs TGPIPE_API_ID and TGPIPE_API_HASH (my.telegram.org). The session file (--session, default
<data dir>/session, mode 0600; with --name NAME, <data dir>/accounts/NAME.session) is written only
after Telegram accepted the login.
Exit code 4 when the code, password or token is wrong.`;

/** `tgpipe login`: phone + code (+ 2FA), bot token, or an imported session string. */
export function loginCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("login")
    .description(
      "Log in to Telegram and store the session (phone + code + 2FA, bot token, or session string)",
    )
    .option("--phone <number>", "phone number in international format")
    .option("--code <code>", "the login code Telegram sent (asked for when missing)")
    .option("--password <password>", "2FA password (prefer TGPIPE_PASSWORD or the prompt: flags show in ps)")
    .option("--bot-token <token>", "log in as a bot (or TGPIPE_BOT_TOKEN with --bot)")
    .option("--bot", "log in as a bot with TGPIPE_BOT_TOKEN / bot_token")
    .option("--session-string <string>", "import an existing session string (checked before it is stored)")
    .option("--qr", "log in by scanning a QR code with a Telegram app where you are logged in")
    .option(
      "--name <name>",
      "store the session as a named account (use it with --session NAME, --account NAME)",
    )
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, flags) => {
      const method = _method(flags, rt.settings.botToken, rt.io.env.TGPIPE_PASSWORD);
      const { login } = await import("../../app/account/login.ts");
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const access = telegramAccess(rt.settings);
      const qr = method.kind === "qr" && !rt.settings.json
        ? await import("../render_login_qr.ts")
        : undefined;
      if (flags.name !== undefined) {
        if (rt.sources.session === "flag") throw new UsageError("Use --name or --session, not both");
        access.sessionFile = namedSessionFile(rt.settings.dataDir, flags.name);
      }
      const account = await login({
        access,
        method,
        ask: rt.io.prompt,
        show: (url, expires) => {
          // --json: the URL as an event for whoever shows it; else the QR code on the terminal
          if (!qr) rt.emit({ type: "log", level: "info", message: `Login QR code: ${url}` });
          else rt.io.stderr(qr.renderLoginQr(url, expires));
        },
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("login", account, () => {
        const who = account.username ? `${account.name} (@${account.username})` : account.name;
        return `Logged in as ${who}, id ${account.id}${
          account.bot ? ", bot" : ""
        }; session saved to ${account.session_file}\n`;
      });
    }));
}

function _method(
  f: {
    phone?: string;
    code?: string;
    password?: string;
    botToken?: string;
    bot?: true;
    sessionString?: string;
    qr?: true;
  },
  botToken: string | undefined,
  envPassword: string | undefined,
): LoginMethod {
  const kinds = [
    f.phone || f.code ? "phone" : "",
    f.botToken || f.bot ? "bot" : "",
    f.sessionString ? "string" : "",
    f.qr ? "qr" : "",
  ]
    .filter(Boolean);
  if (kinds.length > 1) {
    throw new UsageError("Use only one of --phone/--code, --bot-token/--bot, --session-string, --qr");
  }
  if (f.qr) return { kind: "qr", password: f.password ?? (envPassword || undefined) };
  if (f.sessionString !== undefined) return { kind: "string", session: f.sessionString };
  if (f.botToken || f.bot) {
    const token = f.botToken ?? botToken;
    if (!token) throw new UsageError("--bot needs a token: --bot-token or TGPIPE_BOT_TOKEN");
    return { kind: "bot", token };
  }
  return { kind: "user", phone: f.phone, code: f.code, password: f.password ?? (envPassword || undefined) };
}
