/**
 * QR login (`tgpipe login --qr`): auth.exportLoginToken gives a token to show as
 * `tg://login?token=<base64url>`; a Telegram app where the account is logged in scans it
 * (Settings → Devices → Link Desktop Device) and accepts it. The token is asked for again until
 * then (a new one, a new QR, when it expires); once accepted the answer is auth.loginTokenSuccess
 * (or loginTokenMigrateTo: the account lives on another DC, which imports the token), then the
 * 2FA password when the account has one.
 */
import { Api } from "telegram";
import { Buffer } from "node:buffer";
import { LoginRequiredError, TelegramError } from "../core/errors.ts";
import type { Account } from "../core/account.ts";
import { sleep } from "../core/sleep.ts";
import type { TgClient } from "./client.ts";
import { getAccount } from "./get_account.ts";
import { gramOf } from "./_gram.ts";
import { passwordStep, type UserLogin } from "./login.ts";

/** How a QR login shows its code and gets the 2FA password. */
export interface QrLogin {
  /** Shows a new login URL (render it as a QR code); `expires` is unix seconds. */
  show: (url: string, expires: number) => void;
  password: UserLogin["password"];
  /** How often the token is asked for again while it waits (default 1000 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Signs in by QR code (see the module comment); runs until accepted or `signal` aborts. */
export async function loginQr(client: TgClient, qr: QrLogin): Promise<Account> {
  const gram = gramOf(client);
  let shown = "";
  try {
    for (;;) {
      qr.signal?.throwIfAborted();
      let r = await client.call<Api.auth.TypeLoginToken>(
        new Api.auth.ExportLoginToken({ apiId: gram.apiId, apiHash: gram.apiHash, exceptIds: [] }),
      );
      if (r instanceof Api.auth.LoginTokenMigrateTo) {
        // the account lives on another DC: log in there with the same token
        await (gram as unknown as { _switchDC(dc: number): Promise<void> })._switchDC(r.dcId);
        r = await client.call<Api.auth.TypeLoginToken>(new Api.auth.ImportLoginToken({ token: r.token }));
      }
      if (r instanceof Api.auth.LoginTokenSuccess) break;
      if (r instanceof Api.auth.LoginToken) {
        const url = `tg://login?token=${Buffer.from(r.token).toString("base64url")}`;
        if (url !== shown) qr.show(url, r.expires);
        shown = url;
        await sleep(qr.pollMs ?? 1000, qr.signal);
      }
    }
  } catch (err) {
    if (!(err instanceof TelegramError && err.rpcMessage === "SESSION_PASSWORD_NEEDED")) throw _human(err);
    await passwordStep(client, qr.password);
  }
  return await getAccount(client);
}

function _human(err: unknown): unknown {
  if (err instanceof TelegramError && err.rpcMessage === "API_ID_INVALID") {
    return new LoginRequiredError(
      "The api_id/api_hash pair is not valid (see my.telegram.org)",
      "bad_api_id",
    );
  }
  return err;
}
