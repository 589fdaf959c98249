/**
 * QR login as Telegram does it: auth.exportLoginToken gives a key a token (30 s) to show as
 * `tg://login?token=<base64url>`; another logged-in user session accepts it with
 * auth.acceptLoginToken; the key's next exportLoginToken (or importLoginToken on the token's DC)
 * then answers auth.loginTokenSuccess and the key is logged in, or SESSION_PASSWORD_NEEDED when
 * the account has a 2FA password (auth.checkPassword finishes it).
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import { FAKE_API_HASH, FAKE_API_ID } from "../world/login.ts";
import { big } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** How long a login token lives, as Telegram's (seconds). */
export const LOGIN_TOKEN_TTL_S = 30;

interface _Token {
  keyIdHex: string;
  dcId: number;
  expires: number;
  acceptedBy?: bigint;
}

/** Hooks into the login state the other auth handlers keep. */
export interface LoginTokenHooks {
  /** Logs the call's key in as `userId` and returns auth.authorization. */
  authorized(ctx: RpcContext, userId: bigint): unknown;
  /** Whether `userId` has a 2FA password (the login then waits for auth.checkPassword). */
  needsPassword(userId: bigint): boolean;
  /** Marks the key as waiting for `userId`'s password. */
  pendPassword(ctx: RpcContext, userId: bigint): void;
}

/** The handlers of QR login (see the module comment). */
export function loginTokenHandlers(env: HandlerEnv, hooks: LoginTokenHooks): HandlerMap {
  const tokens = new Map<string, _Token>();
  const latest = new Map<string, string>();
  const finish = (ctx: RpcContext, key: string, t: _Token) => {
    tokens.delete(key);
    if (hooks.needsPassword(t.acceptedBy!)) {
      hooks.pendPassword(ctx, t.acceptedBy!);
      throw new RpcError(401, "SESSION_PASSWORD_NEEDED");
    }
    return new ctx.L.Api.auth.LoginTokenSuccess({ authorization: hooks.authorized(ctx, t.acceptedBy!) });
  };
  return {
    "auth.ExportLoginToken": (q: Req, ctx) => {
      if (!(q.apiId > 0)) throw new RpcError(400, "API_ID_INVALID");
      if (String(q.apiId) === FAKE_API_ID && q.apiHash !== FAKE_API_HASH) {
        throw new RpcError(400, "API_ID_INVALID");
      }
      const prev = latest.get(ctx.auth.keyIdHex);
      const t = prev ? tokens.get(prev) : undefined;
      if (prev && t?.acceptedBy !== undefined) {
        if (t.dcId !== ctx.dcId) {
          return new ctx.L.Api.auth.LoginTokenMigrateTo({ dcId: t.dcId, token: Buffer.from(prev, "hex") });
        }
        return finish(ctx, prev, t);
      }
      // a new token each call; the key's older one is gone (Telegram shows only the newest QR)
      if (prev) tokens.delete(prev);
      const token = randomBytes(32);
      const expires = Math.floor(env.now() / 1000) + LOGIN_TOKEN_TTL_S;
      tokens.set(token.toString("hex"), { keyIdHex: ctx.auth.keyIdHex, dcId: ctx.dcId, expires });
      latest.set(ctx.auth.keyIdHex, token.toString("hex"));
      return new ctx.L.Api.auth.LoginToken({ expires, token });
    },
    "auth.ImportLoginToken": (q: Req, ctx) => {
      const key = Buffer.from(q.token ?? []).toString("hex");
      const t = tokens.get(key);
      if (!t) throw new RpcError(400, "AUTH_TOKEN_INVALID");
      if (t.acceptedBy === undefined) {
        if (env.now() / 1000 > t.expires) throw new RpcError(400, "AUTH_TOKEN_EXPIRED");
        return new ctx.L.Api.auth.LoginToken({ expires: t.expires, token: Buffer.from(key, "hex") });
      }
      if (t.dcId !== ctx.dcId) throw new RpcError(400, "AUTH_TOKEN_INVALID");
      return finish(ctx, key, t);
    },
    "auth.AcceptLoginToken": (q: Req, ctx) => {
      const me = env.me(ctx);
      if (env.world.users.get(me)?.bot) throw new RpcError(400, "BOT_METHOD_INVALID");
      const key = Buffer.from(q.token ?? []).toString("hex");
      const t = tokens.get(key);
      if (!t) throw new RpcError(400, "AUTH_TOKEN_INVALID");
      if (t.acceptedBy !== undefined) throw new RpcError(400, "AUTH_TOKEN_ALREADY_ACCEPTED");
      if (env.now() / 1000 > t.expires) throw new RpcError(400, "AUTH_TOKEN_EXPIRED");
      t.acceptedBy = me;
      const now = Math.floor(env.now() / 1000);
      return new ctx.L.Api.Authorization({
        hash: big(BigInt("0x" + randomBytes(7).toString("hex"))),
        deviceModel: "tgpipe",
        platform: "Deno",
        systemVersion: "fakedc",
        apiId: Number(FAKE_API_ID),
        appName: "tgpipe",
        appVersion: "1",
        dateCreated: now,
        dateActive: now,
        ip: "127.0.0.1",
        country: "Nowhere",
        region: "",
      });
    },
  };
}
