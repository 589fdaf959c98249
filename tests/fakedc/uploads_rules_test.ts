/** The fake DC's upload and send rules as Telegram has them (handlers called directly). */
import assert from "node:assert/strict";
import { Api } from "telegram/tl/index.js";
import bigInt from "big-integer";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const err = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    return (e as Json).errorMessage as string;
  }
};
const part = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const K512 = 512 * 1024;

Deno.test("uploads: the part limit comes from help.getAppConfig (premium larger); parts expire", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 1 });
  const c = cluster(w, { uploadMaxParts: 3, uploadMaxPartsPremium: 5, partTtlS: 60 });
  const me = c.key(w.selfUserId);
  const cfg = await c.call(me, "help.GetAppConfig", { hash: 0 });
  const values = Object.fromEntries(cfg.config.value.map((v: Json) => [v.key, v.value.value]));
  assert.deepEqual(values, { upload_max_fileparts_default: 3, upload_max_fileparts_premium: 5 });
  const save = (id: number, filePart: number, total: number, bytes = part(K512, 1)) =>
    err(c.call(me, "upload.SaveBigFilePart", { fileId: bigInt(id), filePart, fileTotalParts: total, bytes }));
  assert.equal(await save(1, 0, 4), "FILE_PARTS_INVALID");
  assert.equal(await save(1, 3, -1), "FILE_PART_INVALID");
  w.users.get(w.selfUserId)!.premium = true;
  assert.equal(await save(2, 0, 4), "ok");
  w.users.get(w.selfUserId)!.premium = false;
  // a part saved longer ago than the lifetime is gone at the send
  for (let i = 0; i < 3; i++) assert.equal(await save(3, i, 3, part(i < 2 ? K512 : 10, i)), "ok");
  c.clock.t += 61_000;
  assert.equal(await save(3, 1, 3), "ok"); // parts 0 and 2 are old now, 1 is fresh
  const media = new Api.InputMediaUploadedDocument({
    file: new Api.InputFileBig({ id: bigInt(3), parts: 3, name: "x" }),
    mimeType: "application/octet-stream",
    attributes: [],
  });
  const send = (m: object, randomId: number) =>
    c.call(me, "messages.SendMedia", {
      peer: new Api.InputPeerSelf(),
      media: m,
      message: "",
      randomId: bigInt(randomId),
    });
  assert.equal(await err(send(media, 1)), "FILE_PART_0_MISSING");
  assert.equal(await save(3, 0, 3), "ok");
  assert.equal(await err(send(media, 1)), "FILE_PART_2_MISSING");
  assert.equal(await save(3, 2, 3, part(10, 2)), "ok");
  // the failed sends did not use random_id 1 up
  assert.equal(await err(send(media, 1)), "ok");
});

Deno.test("uploads: a streamed big file says -1 parts until its last part", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 1 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const save = (filePart: number, total: number, bytes: Uint8Array) =>
    err(c.call(me, "upload.SaveBigFilePart", { fileId: bigInt(5), filePart, fileTotalParts: total, bytes }));
  assert.equal(await save(1, -1, part(K512, 2)), "ok");
  assert.equal(await save(0, -1, part(K512, 1)), "ok");
  assert.equal(await save(2, 3, part(100, 3)), "ok");
  assert.equal(await save(2, 4, part(100, 3)), "FILE_PARTS_INVALID", "the total cannot change");
  assert.equal(await save(3, 3, part(100, 3)), "FILE_PART_INVALID");
  const file = (parts: number) => new Api.InputFileBig({ id: bigInt(5), parts, name: "s" });
  const media = (parts: number) =>
    new Api.InputMediaUploadedDocument({
      file: file(parts),
      mimeType: "application/octet-stream",
      attributes: [],
    });
  const peer = new Api.InputPeerSelf();
  assert.equal(
    await err(c.call(me, "messages.SendMedia", { peer, media: media(2), message: "", randomId: bigInt(1) })),
    "FILE_PARTS_INVALID",
  );
  const up = await c.call(me, "messages.SendMedia", {
    peer,
    media: media(3),
    message: "",
    randomId: bigInt(2),
  });
  assert.equal(Number(up.updates[1].message.media.document.size), 2 * K512 + 100);
});

Deno.test("send: RANDOM_ID_DUPLICATE, CHAT_WRITE_FORBIDDEN in a channel one does not admin, albums", async () => {
  const w = await loadWorld("gen:chats=2,messages=5,files=0", { seed: 1 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const peer = new Api.InputPeerSelf();
  const text = (randomId: number, p: object = peer) =>
    err(c.call(me, "messages.SendMessage", { peer: p, message: "hi", randomId: bigInt(randomId) }));
  assert.equal(await text(10), "ok");
  assert.equal(await text(10), "RANDOM_ID_DUPLICATE");
  const ch = [...w.chats.values()].find((x) => x.kind === "channel")!;
  const chPeer = new Api.InputPeerChannel({
    channelId: bigInt(ch.id.toString()),
    accessHash: bigInt(ch.accessHash.toString()),
  });
  assert.equal(await text(11, chPeer), "CHAT_WRITE_FORBIDDEN");
  ch.admins = [w.selfUserId];
  assert.equal(await text(11, chPeer), "ok");
  // an album: files become media by uploadMedia first, then 2..10 of them in one call
  const uploaded = async (id: number, fill: number) => {
    await c.call(me, "upload.SaveFilePart", { fileId: bigInt(id), filePart: 0, bytes: part(2000, fill) });
    return new Api.InputMediaUploadedDocument({
      file: new Api.InputFile({ id: bigInt(id), parts: 1, name: `f${id}`, md5Checksum: "" }),
      mimeType: "application/octet-stream",
      attributes: [new Api.DocumentAttributeFilename({ fileName: `f${id}` })],
    });
  };
  const raw = await uploaded(20, 1);
  const single = (media: object, randomId: number) =>
    new Api.InputSingleMedia({ media: media as Json, randomId: bigInt(randomId), message: "" });
  assert.equal(
    await err(
      c.call(me, "messages.SendMultiMedia", { peer, multiMedia: [single(raw, 30), single(raw, 31)] }),
    ),
    "MEDIA_INVALID",
  );
  const asMedia = async (m: object) => {
    const d = (await c.call(me, "messages.UploadMedia", { peer, media: m })).document;
    return new Api.InputMediaDocument({
      id: new Api.InputDocument({ id: d.id, accessHash: d.accessHash, fileReference: d.fileReference }),
    });
  };
  const a = await asMedia(await uploaded(21, 2));
  const b = await asMedia(await uploaded(22, 3));
  const up = await c.call(me, "messages.SendMultiMedia", {
    peer,
    multiMedia: [single(a, 40), single(b, 41)],
  });
  const msgs = up.updates.filter((u: Json) => u.className === "UpdateNewMessage").map((u: Json) => u.message);
  assert.equal(msgs.length, 2);
  assert.ok(msgs[0].groupedId && String(msgs[0].groupedId) === String(msgs[1].groupedId));
  assert.equal(
    await err(c.call(me, "messages.SendMultiMedia", { peer, multiMedia: [single(a, 41), single(b, 42)] })),
    "RANDOM_ID_DUPLICATE",
  );
});
