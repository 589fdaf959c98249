/** Login: sendCode, signIn (+2FA SRP), QR tokens, bot tokens, logOut, export/import authorization. */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import { FAKE_API_HASH, FAKE_API_ID, FAKE_LOGIN } from "../world/login.ts";
import { userToTl } from "../world/to_tl.ts";
import { big } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";
import { SRP_G, SRP_P, srpChallenge, type SrpVerifier, srpVerifier } from "./srp.ts";
import { loginTokenHandlers } from "./login_token.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

const phoneOf = (s: unknown) => String(s ?? "").replace(/[\s+()-]/g, "");

/** Telegram checks the api_id/api_hash pair where the hash is sent. */
function _checkApi(q: Req): void {
  if (!(q.apiId > 0)) throw new RpcError(400, "API_ID_INVALID");
  if (String(q.apiId) === FAKE_API_ID && q.apiHash !== FAKE_API_HASH) {
    throw new RpcError(400, "API_ID_INVALID");
  }
}

/** Login handlers; per-key pending 2FA state lives here. */
export function authHandlers(env: HandlerEnv): HandlerMap {
  const codes = new Map<string, { phone: string; at: number }>();
  const latest = new Map<string, string>();
  const pending2fa = new Map<string, bigint>();
  const srp = new Map<string, { id: bigint; check: (A: Uint8Array, M1: Uint8Array) => boolean }>();
  const exported = new Map<string, { userId: bigint; dcId: number; from: string }>();
  const verifiers = new Map<bigint, SrpVerifier>();
  const verifier = (userId: bigint, password: string) => {
    let v = verifiers.get(userId);
    if (!v) {
      const s = Buffer.from(`tgpipe-fakedc-salt-${userId}`);
      verifiers.set(
        userId,
        v = srpVerifier(password, Buffer.concat([s, Buffer.from("1")]), Buffer.concat([s, Buffer.from("2")])),
      );
    }
    return v;
  };
  const authorized = (ctx: RpcContext, userId: bigint) => {
    ctx.auth.userId = userId;
    pending2fa.delete(ctx.auth.keyIdHex);
    return new ctx.L.Api.auth.Authorization({
      user: userToTl({ ...env.tl(ctx), me: userId }, env.world.users.get(userId)!),
    });
  };
  const algo = (A: Req, v: SrpVerifier) =>
    new A.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
      salt1: v.salt1,
      salt2: v.salt2,
      g: Number(SRP_G),
      p: Buffer.from(SRP_P.toString(16), "hex"),
    });
  return {
    ...loginTokenHandlers(env, {
      authorized,
      needsPassword: (uid) => env.world.accounts.some((a) => a.userId === uid && a.password),
      pendPassword: (ctx, uid) => void pending2fa.set(ctx.auth.keyIdHex, uid),
    }),
    "auth.SendCode": (q: Req, ctx) => {
      const phone = phoneOf(q.phoneNumber);
      if (!/^\d{5,15}$/.test(phone)) throw new RpcError(400, "PHONE_NUMBER_INVALID");
      _checkApi(q);
      const hash = randomBytes(9).toString("hex");
      codes.set(hash, { phone, at: env.now() });
      latest.set(phone, hash);
      const A = ctx.L.Api;
      return new A.auth.SentCode({
        type: new A.auth.SentCodeTypeApp({ length: 5 }),
        phoneCodeHash: hash,
        timeout: 60,
      });
    },
    "auth.SignIn": (q: Req, ctx) => {
      const phone = phoneOf(q.phoneNumber);
      if (!/^\d{5,15}$/.test(phone)) throw new RpcError(400, "PHONE_NUMBER_INVALID");
      if (!q.phoneCodeHash) throw new RpcError(400, "PHONE_CODE_HASH_EMPTY");
      const c = codes.get(q.phoneCodeHash);
      const stale = !c || c.phone !== phone || latest.get(phone) !== q.phoneCodeHash ||
        env.now() - c.at > FAKE_LOGIN.codeTtlS * 1000;
      if (stale) throw new RpcError(400, "PHONE_CODE_EXPIRED");
      if (!q.phoneCode) throw new RpcError(400, "PHONE_CODE_EMPTY");
      const acc = env.world.accounts.find((a) => a.phone === phone);
      if (!acc) throw new RpcError(400, "PHONE_NUMBER_UNOCCUPIED");
      if (q.phoneCode !== acc.code) throw new RpcError(400, "PHONE_CODE_INVALID");
      codes.delete(q.phoneCodeHash);
      if (acc.password) {
        pending2fa.set(ctx.auth.keyIdHex, acc.userId);
        throw new RpcError(401, "SESSION_PASSWORD_NEEDED");
      }
      return authorized(ctx, acc.userId);
    },
    "account.GetPassword": (_q: Req, ctx) => {
      const A = ctx.L.Api;
      const uid = pending2fa.get(ctx.auth.keyIdHex) ?? ctx.auth.userId;
      if (uid === undefined) throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
      const acc = env.world.accounts.find((a) => a.userId === uid);
      const newAlgo = algo(A, { salt1: randomBytes(8), salt2: randomBytes(16), v: 0n });
      const common = {
        newAlgo,
        newSecureAlgo: new A.SecurePasswordKdfAlgoPBKDF2HMACSHA512iter100000({ salt: randomBytes(8) }),
        secureRandom: randomBytes(32),
      };
      if (!acc?.password) return new A.account.Password({ ...common, hasPassword: false });
      const v = verifier(uid, acc.password);
      const ch = srpChallenge(v);
      const id = BigInt("0x" + randomBytes(7).toString("hex"));
      srp.set(ctx.auth.keyIdHex, { id, check: ch.check });
      return new A.account.Password({
        ...common,
        hasPassword: true,
        currentAlgo: algo(A, v),
        srp_B: ch.B,
        srpId: big(id),
        hint: FAKE_LOGIN.twoFa.hint,
      });
    },
    "auth.CheckPassword": (q: Req, ctx) => {
      const uid = pending2fa.get(ctx.auth.keyIdHex);
      const s = srp.get(ctx.auth.keyIdHex);
      if (uid === undefined) throw new RpcError(400, "PASSWORD_HASH_INVALID");
      const p = q.password;
      if (!s || p?.className !== "InputCheckPasswordSRP" || BigInt(p.srpId.toString()) !== s.id) {
        throw new RpcError(400, "SRP_ID_INVALID");
      }
      srp.delete(ctx.auth.keyIdHex);
      if (!s.check(p.A, p.M1)) throw new RpcError(400, "PASSWORD_HASH_INVALID");
      return authorized(ctx, uid);
    },
    "auth.ImportBotAuthorization": (q: Req, ctx) => {
      _checkApi(q);
      const uid = env.world.botTokens.get(String(q.botAuthToken ?? ""));
      if (uid === undefined) throw new RpcError(400, "ACCESS_TOKEN_INVALID");
      return authorized(ctx, uid);
    },
    "auth.LogOut": (_q: Req, ctx) => {
      ctx.auth.revoked = true;
      ctx.auth.userId = undefined;
      return ctx.L.Api.auth.LoggedOut ? new ctx.L.Api.auth.LoggedOut({}) : true;
    },
    "auth.ExportAuthorization": (q: Req, ctx) => {
      const me = env.me(ctx);
      if (!env.dcIds.includes(q.dcId)) throw new RpcError(400, "DC_ID_INVALID");
      const bytes = randomBytes(32);
      exported.set(bytes.toString("hex"), { userId: me, dcId: q.dcId, from: ctx.auth.keyIdHex });
      return new ctx.L.Api.auth.ExportedAuthorization({ id: big(me), bytes });
    },
    "auth.ImportAuthorization": (q: Req, ctx) => {
      const key = Buffer.from(q.bytes ?? []).toString("hex");
      const e = exported.get(key);
      if (!e || e.userId !== BigInt(q.id.toString()) || e.dcId !== ctx.dcId) {
        throw new RpcError(400, "AUTH_BYTES_INVALID");
      }
      exported.delete(key);
      // bound to the authorization it came from: that one's logout ends this one too
      ctx.auth.importedFrom = e.from;
      return authorized(ctx, e.userId);
    },
  };
}
