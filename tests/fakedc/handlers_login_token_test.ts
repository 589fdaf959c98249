import assert from "node:assert/strict";
import { loadWorld } from "./world/index.ts";
import { FAKE_API_HASH, FAKE_API_ID } from "./world/login.ts";
import { cluster } from "./_handlers_util.ts";
import { LOGIN_TOKEN_TTL_S } from "./handlers/login_token.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function rejects(p: Promise<unknown>, code: number, msg: string) {
  await assert.rejects(p, (e: Json) => (assert.equal(e.code, code), assert.equal(e.errorMessage, msg), true));
}

Deno.test("QR login tokens follow Telegram's rules: expiry, one accept, newest token only, no bots", async () => {
  const w = await loadWorld("gen:chats=1,messages=5", { seed: 3 });
  const c = cluster(w);
  const api = { apiId: Number(FAKE_API_ID), apiHash: FAKE_API_HASH, exceptIds: [] };
  const fresh = c.key();
  const me = c.key(w.selfUserId);
  await rejects(c.call(fresh, "auth.ExportLoginToken", { ...api, apiHash: "nope" }), 400, "API_ID_INVALID");
  const t1 = await c.call(fresh, "auth.ExportLoginToken", api);
  assert.equal(t1.className, "auth.LoginToken");
  assert.equal(t1.expires, c.clock.t / 1000 + LOGIN_TOKEN_TTL_S);
  // a newer token replaces the older one
  const t2 = await c.call(fresh, "auth.ExportLoginToken", api);
  await rejects(c.call(me, "auth.AcceptLoginToken", { token: t1.token }), 400, "AUTH_TOKEN_INVALID");
  await rejects(c.call(c.key(), "auth.AcceptLoginToken", { token: t2.token }), 401, "AUTH_KEY_UNREGISTERED");
  const bot = c.key([...w.botTokens.values()][0]);
  await rejects(c.call(bot, "auth.AcceptLoginToken", { token: t2.token }), 400, "BOT_METHOD_INVALID");
  c.clock.t += (LOGIN_TOKEN_TTL_S + 1) * 1000;
  await rejects(c.call(me, "auth.AcceptLoginToken", { token: t2.token }), 400, "AUTH_TOKEN_EXPIRED");
  const t3 = await c.call(fresh, "auth.ExportLoginToken", api);
  const auth = await c.call(me, "auth.AcceptLoginToken", { token: t3.token });
  assert.equal(auth.className, "Authorization");
  await rejects(c.call(me, "auth.AcceptLoginToken", { token: t3.token }), 400, "AUTH_TOKEN_ALREADY_ACCEPTED");
  assert.equal(fresh.userId, undefined, "not logged in before it asks again");
  const ok = await c.call(fresh, "auth.ExportLoginToken", api);
  assert.equal(ok.className, "auth.LoginTokenSuccess");
  assert.equal(fresh.userId, w.selfUserId);
});
