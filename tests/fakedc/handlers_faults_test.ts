import assert from "node:assert/strict";
import { FAKE_LOGIN } from "./world/login.ts";
import { createHash } from "node:crypto";
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

Deno.test("a flood rule with a user id limits that account only", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 1 });
  const c = cluster(w, {
    floodRules: [{ method: "updates.GetState", requests: 1, windowS: 10, user: String(w.selfUserId) }],
  });
  const me = c.key(w.selfUserId);
  const other = c.key(FAKE_LOGIN.twoFa.userId);
  assert.equal(await err(c.call(me, "updates.GetState", {})), "ok");
  assert.equal(await err(c.call(me, "updates.GetState", {})), "FLOOD_WAIT_10");
  for (let i = 0; i < 5; i++) assert.equal(await err(c.call(other, "updates.GetState", {})), "ok");
});

Deno.test("flood rules, random FLOOD_WAIT with a fixed seed, takeout delay and validity", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 1 });
  const c = cluster(w, {
    floodRules: [{ method: "updates.GetState", requests: 2, windowS: 10 }],
    takeoutDelayS: 30,
  });
  const me = c.key(w.selfUserId);
  assert.equal(await err(c.call(me, "updates.GetState", {})), "ok");
  assert.equal(await err(c.call(me, "updates.GetState", {})), "ok");
  assert.equal(await err(c.call(me, "updates.GetState", {})), "FLOOD_WAIT_10");
  c.clock.t += 10_001;
  assert.equal(await err(c.call(me, "updates.GetState", {})), "ok");
  assert.equal(await err(c.call(me, "account.InitTakeoutSession", {})), "TAKEOUT_INIT_DELAY_30");
  c.clock.t += 31_000;
  const t = await c.call(me, "account.InitTakeoutSession", {});
  const tid = BigInt(t.id.toString());
  assert.equal(await err(c.call(me, "messages.GetSplitRanges", {}, 2, { takeoutId: tid })), "ok");
  assert.equal(await err(c.call(me, "messages.GetSplitRanges", {}, 2, { takeoutId: 1n })), "TAKEOUT_INVALID");
  await c.call(me, "account.FinishTakeoutSession", {}, 2, { takeoutId: tid });
  assert.equal(
    await err(c.call(me, "messages.GetSplitRanges", {}, 2, { takeoutId: tid })),
    "TAKEOUT_INVALID",
  );
  const run = async () => {
    const f = cluster(w, { floodP: 0.3, floodSeconds: 7 }, 42);
    const k = f.key(w.selfUserId);
    const out = [];
    for (let i = 0; i < 20; i++) out.push(await err(f.call(k, "updates.GetState", {})));
    // each random FLOOD_WAIT is counted in the cluster's stats (the fault bench reports them)
    assert.equal(f.stats.faultFloods, out.filter((e) => e === "FLOOD_WAIT_7").length);
    return out;
  };
  const a = await run();
  assert.deepEqual(a, await run());
  assert.ok(a.includes("FLOOD_WAIT_7") && a.includes("ok"));
});

Deno.test("migrateP sends a file elsewhere that then serves it; stalls end early on abort", async () => {
  const w = await loadWorld("gen:chats=1,messages=30,files=5,file_size=64KB", { seed: 1 });
  const c = cluster(w, { migrateP: 1, stallP: 1, stallMs: 60_000 });
  const me = c.key(w.selfUserId);
  const d = await c.call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 10 });
  const ch = d.chats.find((x: Json) => x.broadcast);
  const h = await c.call(me, "messages.GetHistory", {
    peer: new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash }),
    limit: 100,
  });
  const doc = h.messages.find((m: Json) => m.media?.document).media.document;
  const loc = new Api.InputDocumentFileLocation({
    id: doc.id,
    accessHash: doc.accessHash,
    fileReference: doc.fileReference,
    thumbSize: "",
  });
  const req = { location: loc, offset: bigInt(0), limit: 4096 };
  const other = doc.dcId === 2 ? 4 : 2;
  assert.equal(await err(c.call(me, "upload.GetFile", req, doc.dcId)), `FILE_MIGRATE_${other}`);
  assert.deepEqual([c.stats.faultMigrates, c.stats.faultStalls], [1, 0]);
  const ac = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ac.abort(), 50);
  const r = await c.call(me, "upload.GetFile", req, other, { signal: ac.signal });
  assert.equal(r.bytes.length, 4096);
  assert.ok(performance.now() - t0 < 5000);
  // served where it was sent (no second migrate), after being held (counted as a stall)
  assert.deepEqual([c.stats.faultMigrates, c.stats.faultStalls], [1, 1]);
});

Deno.test("error rules fail only the named method and target; corrupt_file flips bytes, not the size", async () => {
  const w = await loadWorld("gen:chats=2,messages=30,files=5,file_size=64KB", { seed: 1 });
  const c = cluster(w, {});
  const me = c.key(w.selfUserId);
  const d = await c.call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 10 });
  const peerOf = (x: Json) => new Api.InputPeerChannel({ channelId: x.id, accessHash: x.accessHash });
  const chans = d.chats.filter((x: Json) => x.className === "Channel");
  assert.ok(chans.length >= 2, "two channels");
  let ch: Json, doc: Json;
  for (const x of chans) {
    const h = await c.call(me, "messages.GetHistory", { peer: peerOf(x), limit: 100 });
    doc = h.messages.find((m: Json) => m.media?.document)?.media.document;
    ch = x;
    if (doc) break;
  }
  assert.ok(doc, "a document to fetch");
  const other = chans.find((x: Json) => x !== ch);
  const loc = new Api.InputDocumentFileLocation({
    id: doc.id,
    accessHash: doc.accessHash,
    fileReference: doc.fileReference,
    thumbSize: "",
  });
  const req = { location: loc, offset: bigInt(0), limit: 64 * 1024 };
  const clean = (await c.call(me, "upload.GetFile", req, doc.dcId)).bytes as Uint8Array;
  const hashes = await c.call(me, "upload.GetFileHashes", { location: loc, offset: bigInt(0) }, doc.dcId);

  const failing = cluster(w, {
    errorRules: [{
      method: "messages.GetHistory",
      code: 400,
      message: "CHANNEL_PRIVATE",
      target: String(ch.id),
    }],
    corruptFiles: [doc.id.toString()],
  });
  const k = failing.key(w.selfUserId);
  const hist = (x: Json) => failing.call(k, "messages.GetHistory", { peer: peerOf(x), limit: 1 });
  assert.equal(await err(hist(ch)), "CHANNEL_PRIVATE");
  assert.equal(await err(hist(other)), "ok");
  const bad = (await failing.call(k, "upload.GetFile", req, doc.dcId)).bytes as Uint8Array;
  assert.equal(bad.length, clean.length);
  assert.equal(bad.filter((b, i) => b !== clean[i]).length, 1, "exactly one byte differs");
  const again = (await c.call(me, "upload.GetFile", req, doc.dcId)).bytes as Uint8Array;
  assert.deepEqual(again, clean, "the world's bytes are untouched");
  const sha = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());
  const want = new Uint8Array(hashes[0].hash);
  const firstRange = (b: Uint8Array) => b.subarray(0, hashes[0].limit);
  assert.deepEqual(sha(firstRange(clean)), want);
  assert.notDeepEqual(sha(firstRange(bad)), want);
  const all = cluster(w, { corruptP: 1 });
  const bytes = (await all.call(all.key(w.selfUserId), "upload.GetFile", req, doc.dcId)).bytes as Uint8Array;
  assert.equal(bytes.filter((b, i) => b !== clean[i]).length, 1);
});

Deno.test("uploads: part rules, then sendMedia makes a byte-identical document", async () => {
  const w = await loadWorld("gen:chats=1,messages=5,files=0", { seed: 1 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const part = (n: number, fill: number) => new Uint8Array(n).fill(fill);
  assert.equal(
    await err(
      c.call(me, "upload.SaveBigFilePart", {
        fileId: bigInt(9),
        filePart: 0,
        fileTotalParts: 4001,
        bytes: part(1024, 1),
      }),
    ),
    "FILE_PARTS_INVALID",
  );
  assert.equal(
    await err(
      c.call(me, "upload.SaveBigFilePart", {
        fileId: bigInt(9),
        filePart: 0,
        fileTotalParts: 3,
        bytes: part(3000, 1),
      }),
    ),
    "FILE_PART_SIZE_INVALID",
  );
  assert.equal(
    await err(
      c.call(me, "upload.SaveFilePart", { fileId: bigInt(9), filePart: 0, bytes: part(600 * 1024, 1) }),
    ),
    "FILE_PART_TOO_BIG",
  );
  for (let i = 0; i < 3; i++) {
    await c.call(me, "upload.SaveBigFilePart", {
      fileId: bigInt(7),
      filePart: i,
      fileTotalParts: 3,
      bytes: part(i < 2 ? 512 * 1024 : 1000, i + 1),
    });
  }
  const peer = new Api.InputPeerSelf();
  const missing = new Api.InputMediaUploadedDocument({
    file: new Api.InputFileBig({ id: bigInt(8), parts: 3, name: "x" }),
    mimeType: "application/pdf",
    attributes: [],
  });
  assert.equal(
    await err(c.call(me, "messages.SendMedia", { peer, media: missing, message: "" })),
    "FILE_PART_0_MISSING",
  );
  const media = new Api.InputMediaUploadedDocument({
    file: new Api.InputFileBig({ id: bigInt(7), parts: 3, name: "a.pdf" }),
    mimeType: "application/pdf",
    attributes: [new Api.DocumentAttributeFilename({ fileName: "a.pdf" })],
  });
  const up = await c.call(me, "messages.SendMedia", { peer, media, message: "hi", randomId: bigInt(5) });
  const doc = up.updates[1].message.media.document;
  assert.equal(Number(doc.size), 2 * 512 * 1024 + 1000);
  const loc = new Api.InputDocumentFileLocation({
    id: doc.id,
    accessHash: doc.accessHash,
    fileReference: doc.fileReference,
    thumbSize: "",
  });
  const got = await c.call(
    me,
    "upload.GetFile",
    { location: loc, offset: bigInt(1 << 20), limit: 4096 },
    doc.dcId,
  );
  assert.deepEqual(new Uint8Array(got.bytes), part(1000, 3));
  const mid = await c.call(me, "upload.GetFile", {
    location: loc,
    offset: bigInt(512 * 1024 - 4096),
    limit: 8192,
  }, doc.dcId);
  assert.deepEqual(new Uint8Array(mid.bytes), new Uint8Array([...part(4096, 1), ...part(4096, 2)]));
});
