import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Api } from "telegram/tl/index.js";
import { computeCheck } from "telegram/Password.js";
import bigInt from "big-integer";
import { FAKE_LOGIN, loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";

const SPEC = "gen:chats=4,messages=250,files=10,file_size=3MB,forum=1";
// deno-lint-ignore no-explicit-any
type Json = any;

async function rejects(p: Promise<unknown>, code: number, msg: string | RegExp) {
  await assert.rejects(p, (e: Json) => {
    assert.equal(e.code, code);
    if (typeof msg === "string") assert.equal(e.errorMessage, msg);
    else assert.match(e.errorMessage, msg);
    return true;
  });
}

async function channelPeer(c: ReturnType<typeof cluster>, me: Json) {
  const d = await c.call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 100 });
  const ch = d.chats.find((x: Json) => x.broadcast);
  return { ch, peer: new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash }) };
}

Deno.test("getHistory pages like Telegram: cap 100, offset_id, add_offset, min/max id, bad hashes", async () => {
  const w = await loadWorld(SPEC, { seed: 2 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const { peer, ch } = await channelPeer(c, me);
  const r = await c.call(me, "messages.GetHistory", { peer, limit: 500 });
  assert.equal(r.messages.length, 100);
  assert.equal(r.className, "messages.ChannelMessages");
  const top = r.messages[0].id;
  const p2 = await c.call(me, "messages.GetHistory", { peer, offsetId: 50, limit: 10 });
  assert.deepEqual(p2.messages.map((m: Json) => m.id), [49, 48, 47, 46, 45, 44, 43, 42, 41, 40]);
  const p3 = await c.call(me, "messages.GetHistory", { peer, offsetId: 50, addOffset: -5, limit: 10 });
  assert.deepEqual(p3.messages.map((m: Json) => m.id), [54, 53, 52, 51, 50, 49, 48, 47, 46, 45]);
  const p4 = await c.call(me, "messages.GetHistory", { peer, limit: 100, minId: 10, maxId: 15 });
  assert.deepEqual(p4.messages.map((m: Json) => m.id), [14, 13, 12, 11]);
  assert.ok(top >= 250);
  const bad = new Api.InputPeerChannel({ channelId: ch.id, accessHash: bigInt(1) });
  await rejects(c.call(me, "messages.GetHistory", { peer: bad, limit: 1 }), 400, "CHANNEL_INVALID");
  const badUser = new Api.InputPeerUser({ userId: bigInt(2000001), accessHash: bigInt(5) });
  await rejects(c.call(me, "messages.GetHistory", { peer: badUser, limit: 1 }), 400, "PEER_ID_INVALID");
  const left = w.chats.get("channel:1790000000")!;
  const lp = new Api.InputPeerChannel({
    channelId: bigInt(String(left.id)),
    accessHash: bigInt(String(left.accessHash)),
  });
  await rejects(c.call(me, "messages.GetHistory", { peer: lp, limit: 1 }), 400, "CHANNEL_PRIVATE");
  await rejects(c.call(c.key(), "messages.GetHistory", { peer, limit: 1 }), 401, "AUTH_KEY_UNREGISTERED");
});

Deno.test("resolveUsername, getDialogs paging, replies (comments and topics)", async () => {
  const w = await loadWorld(SPEC, { seed: 2 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const r = await c.call(me, "contacts.ResolveUsername", { username: "gen_channel_0" });
  assert.equal(r.chats[0].username, "gen_channel_0");
  await rejects(
    c.call(me, "contacts.ResolveUsername", { username: "nobody_here" }),
    400,
    "USERNAME_NOT_OCCUPIED",
  );
  await rejects(c.call(me, "contacts.ResolveUsername", { username: "a!" }), 400, "USERNAME_INVALID");
  const d1 = await c.call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 2 });
  assert.equal(d1.className, "messages.DialogsSlice");
  assert.equal(d1.dialogs.length, 2);
  const { peer } = await channelPeer(c, me);
  const post = w.chats.get("channel:1700000000")!.messages.find((m) => m.comments)!;
  const rep = await c.call(me, "messages.GetReplies", { peer, msgId: post.id, limit: 100 });
  assert.ok(rep.messages.length >= 1);
  assert.ok(rep.chats.some((x: Json) => x.megagroup));
  const forum = w.chats.get("channel:1750000000")!;
  const fp = new Api.InputChannel({
    channelId: bigInt(String(forum.id)),
    accessHash: bigInt(String(forum.accessHash)),
  });
  const topics = await c.call(me, "channels.GetForumTopics", { channel: fp, limit: 10 });
  assert.equal(topics.topics.length, 3);
});

Deno.test("upload.getFile enforces DC, alignment, 1 MB boundary, references; hashes match", async () => {
  const w = await loadWorld(SPEC, { seed: 2 });
  const c = cluster(w, { fileRefTtlS: 60 });
  const me = c.key(w.selfUserId);
  const { peer } = await channelPeer(c, me);
  const h = await c.call(me, "messages.GetHistory", { peer, limit: 100 });
  const doc =
    h.messages.find((m: Json) => m.media?.document && Number(m.media.document.size) > 1 << 20).media.document;
  const loc = new Api.InputDocumentFileLocation({
    id: doc.id,
    accessHash: doc.accessHash,
    fileReference: doc.fileReference,
    thumbSize: "",
  });
  const other = doc.dcId === 2 ? 4 : 2;
  await rejects(
    c.call(me, "upload.GetFile", { location: loc, offset: bigInt(0), limit: 4096 }, other),
    303,
    `FILE_MIGRATE_${doc.dcId}`,
  );
  const get = (offset: number, limit: number) =>
    c.call(me, "upload.GetFile", { location: loc, offset: bigInt(offset), limit }, doc.dcId);
  await rejects(get(100, 4096), 400, "OFFSET_INVALID");
  await rejects(get(0, 5000), 400, "LIMIT_INVALID");
  await rejects(get(0, 3 * 4096), 400, "LIMIT_INVALID");
  await rejects(get(512 * 1024 + 4096, 512 * 1024), 400, "LIMIT_INVALID");
  assert.equal((await get(0, 1 << 20)).bytes.length, 1 << 20);
  assert.equal((await get(Math.ceil(Number(doc.size) / 4096) * 4096 + (1 << 20), 4096)).bytes.length, 0);
  const hashes = await c.call(me, "upload.GetFileHashes", { location: loc, offset: bigInt(0) }, doc.dcId);
  const first = (await get(0, 131072)).bytes;
  assert.deepEqual(Buffer.from(hashes[0].hash), Buffer.from(await crypto.subtle.digest("SHA-256", first)));
  c.clock.t += 61_000;
  await rejects(get(0, 4096), 400, "FILE_REFERENCE_EXPIRED");
  const bad = new Api.InputDocumentFileLocation({ ...loc, fileReference: Buffer.from("nope") });
  await rejects(
    c.call(me, "upload.GetFile", { location: bad, offset: bigInt(0), limit: 4096 }, doc.dcId),
    400,
    "FILE_REFERENCE_INVALID",
  );
});

Deno.test("login: code, 2FA with real SRP, bot token, logOut, export/import authorization", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 2 });
  const c = cluster(w);
  const k = c.key();
  await rejects(
    c.call(k, "auth.SendCode", { phoneNumber: "abc", apiId: 1, apiHash: "x" }),
    400,
    "PHONE_NUMBER_INVALID",
  );
  const s1 = await c.call(k, "auth.SendCode", {
    phoneNumber: "+" + FAKE_LOGIN.user.phone,
    apiId: 1,
    apiHash: "x",
  });
  const s2 = await c.call(k, "auth.SendCode", { phoneNumber: FAKE_LOGIN.user.phone, apiId: 1, apiHash: "x" });
  const sign = (hash: string, code: string, phone: string = FAKE_LOGIN.user.phone) =>
    c.call(k, "auth.SignIn", { phoneNumber: phone, phoneCodeHash: hash, phoneCode: code });
  await rejects(sign(s1.phoneCodeHash, "12345"), 400, "PHONE_CODE_EXPIRED");
  await rejects(sign(s2.phoneCodeHash, "99999"), 400, "PHONE_CODE_INVALID");
  const a = await sign(s2.phoneCodeHash, FAKE_LOGIN.user.code);
  assert.equal(a.user.id.toString(), String(w.selfUserId));
  assert.equal(k.userId, w.selfUserId);
  // 2FA
  const k2 = c.key();
  const s3 = await c.call(k2, "auth.SendCode", {
    phoneNumber: FAKE_LOGIN.twoFa.phone,
    apiId: 1,
    apiHash: "x",
  });
  await rejects(
    c.call(k2, "auth.SignIn", {
      phoneNumber: FAKE_LOGIN.twoFa.phone,
      phoneCodeHash: s3.phoneCodeHash,
      phoneCode: "12345",
    }),
    401,
    "SESSION_PASSWORD_NEEDED",
  );
  const pw1 = await c.call(k2, "account.GetPassword", {});
  await rejects(
    c.call(k2, "auth.CheckPassword", { password: await computeCheck(pw1, "wrong") }),
    400,
    "PASSWORD_HASH_INVALID",
  );
  const pw2 = await c.call(k2, "account.GetPassword", {});
  const ok = await c.call(k2, "auth.CheckPassword", {
    password: await computeCheck(pw2, FAKE_LOGIN.twoFa.password),
  });
  assert.equal(ok.user.id.toString(), String(FAKE_LOGIN.twoFa.userId));
  // bot
  const kb = c.key();
  await rejects(
    c.call(kb, "auth.ImportBotAuthorization", { apiId: 1, apiHash: "x", botAuthToken: "1:bad" }),
    400,
    "ACCESS_TOKEN_INVALID",
  );
  const bot = await c.call(kb, "auth.ImportBotAuthorization", {
    apiId: 1,
    apiHash: "x",
    botAuthToken: FAKE_LOGIN.bot.token,
  });
  assert.equal(bot.user.bot, true);
  // export / import
  const ex = await c.call(k, "auth.ExportAuthorization", { dcId: 4 });
  const k4 = c.key();
  await rejects(
    c.call(k4, "auth.ImportAuthorization", { id: ex.id, bytes: Buffer.from("x") }, 4),
    400,
    "AUTH_BYTES_INVALID",
  );
  const im = await c.call(k4, "auth.ImportAuthorization", { id: ex.id, bytes: ex.bytes }, 4);
  assert.equal(im.user.id.toString(), String(w.selfUserId));
  // logOut
  await c.call(k, "auth.LogOut", {});
  await rejects(c.call(k, "updates.GetState", {}), 401, "AUTH_KEY_UNREGISTERED");
});
