/**
 * Test helper: "another session accepts the QR code". A stock GramJS client logged in as `userId`
 * calls auth.acceptLoginToken with the token of a tg://login?token=… URL, as a Telegram app does
 * when it scans the code (tests/e2e may not import npm:telegram themselves).
 */
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { FakeTelegram } from "./cluster.ts";
import { type GramjsHandle, openGramjs } from "./_gramjs_client.ts";

/** A logged-in session that accepts login URLs; close() it when done. */
export interface QrAcceptor {
  accept(url: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a session of `userId` on `tg` that accepts login URLs. */
export async function openQrAcceptor(tg: FakeTelegram, userId: bigint): Promise<QrAcceptor> {
  const h: GramjsHandle = await openGramjs(tg, { session: tg.sessionFor(userId) });
  return {
    accept: async (url) => {
      const token = /^tg:\/\/login\?token=([\w-]+)$/.exec(url)?.[1];
      if (!token) throw new Error(`Not a login URL: ${url}`);
      await h.client.invoke(new Api.auth.AcceptLoginToken({ token: Buffer.from(token, "base64url") }));
    },
    close: () => h.close(),
  };
}
