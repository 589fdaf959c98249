/**
 * early_crypto.ts and early_mtproto.ts against two other MTProto 2.0 implementations: GramJS's own
 * MTProtoState (a client message of the same key and padded plaintext is the same packet, byte for
 * byte) and the fake DC's (it decrypts what the early check sends; the early check decrypts what it
 * sends, and refuses a packet of another key, a changed byte, or another session).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import "telegram";
import authKeyModule from "telegram/crypto/AuthKey.js";
import stateModule from "telegram/network/MTProtoState.js";
import { authKeyIdHex, decryptMessage, encryptMessage } from "../fakedc/mtproto/crypto.ts";
import {
  authKeyId,
  decryptServerMessage,
  EarlyCryptoError,
  encryptClientMessage,
  encryptPadded,
} from "../../lib/telegram/early_crypto.ts";
import { EarlyMtproto } from "../../lib/telegram/early_mtproto.ts";
import { TlWriter } from "../../lib/telegram/early_tl.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const _key = () => crypto.getRandomValues(new Uint8Array(256));

Deno.test("early crypto: a client packet equals GramJS MTProtoState's for the same key and padded plaintext", async () => {
  const raw = _key();
  const key = new (authKeyModule as Any).AuthKey();
  await key.setKey(Buffer.from(raw));
  const state = new (stateModule as Any).MTProtoState(key, { debug() {}, warn() {} });
  state.salt = bigInt("-4321987654321");
  const keyId = authKeyId(raw);
  assert.equal(Buffer.from(keyId).toString("hex"), authKeyIdHex(raw), "auth_key_id = low 64 bits of SHA-1");
  for (const n of [4, 100, 1000, 5000]) {
    const body = crypto.getRandomValues(new Uint8Array(n));
    // GramJS's message: msg_id, seqno, length, body; its state adds salt and session id
    const msg = new TlWriter().long(123456789n << 32n).int(1).int(n).raw(body).done();
    const gram: Buffer = await state.encryptMessageData(Buffer.from(msg));
    assert.deepEqual(new Uint8Array(gram.subarray(0, 8)), keyId);
    // its padded plaintext (random padding included), from the server's side
    const padded = decryptMessage(raw, new Uint8Array(gram));
    assert.ok(padded, `the fake DC reads GramJS's packet (${n})`);
    assert.deepEqual(encryptPadded(raw, keyId, padded), new Uint8Array(gram), `same packet (${n} bytes)`);
  }
});

Deno.test("early crypto: the fake DC reads the early check's packets; it reads the fake DC's and refuses tampered ones", () => {
  const raw = _key();
  const keyId = authKeyId(raw);
  for (const n of [32, 33, 500, 70_000]) {
    const plain = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
    const packet = encryptClientMessage(raw, keyId, plain);
    const server = decryptMessage(raw, packet);
    assert.ok(server, `server reads ${n}`);
    assert.deepEqual(server.subarray(0, n), plain);
    const pad = server.length - n;
    assert.ok(pad >= 12 && pad < 28, `padding ${pad}`);
    const back = encryptMessage(raw, keyId, plain);
    assert.deepEqual(decryptServerMessage(raw, keyId, back).subarray(0, n), plain);
    const flipped = back.slice();
    flipped[back.length - 1] ^= 1;
    assert.throws(() => decryptServerMessage(raw, keyId, flipped), EarlyCryptoError, "a changed byte");
    const msgKeyFlipped = back.slice();
    msgKeyFlipped[10] ^= 1;
    assert.throws(
      () => decryptServerMessage(raw, keyId, msgKeyFlipped),
      EarlyCryptoError,
      "a changed msg_key",
    );
    const other = _key();
    assert.throws(
      () => decryptServerMessage(other, authKeyId(other), back),
      EarlyCryptoError,
      "another key's packet",
    );
  }
});

Deno.test("EarlyMtproto: msg_ids rise and end in 00, seqnos are odd, the server's session and padding are checked", () => {
  const raw = _key();
  let now = 1_700_000_000_123;
  const mt = new EarlyMtproto(raw, () => now);
  mt.salt = 77n;
  const a = mt.pack(new Uint8Array(8)), b = mt.pack(new Uint8Array(8));
  assert.ok(b.msgId > a.msgId && (a.msgId & 3n) === 0n && (b.msgId & 3n) === 0n);
  assert.equal(Number(a.msgId >> 32n), 1_700_000_000);
  const plainA = decryptMessage(raw, a.packet)!, plainB = decryptMessage(raw, b.packet)!;
  const dv = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset);
  assert.equal(dv(plainA).getBigInt64(0, true), 77n, "salt");
  assert.deepEqual(plainA.subarray(8, 16), mt.sessionId);
  assert.deepEqual([dv(plainA).getInt32(24, true), dv(plainB).getInt32(24, true)], [1, 3]);
  // a server 100 s ahead: msg_ids follow its clock
  mt.syncClock(BigInt(1_700_000_100) << 32n);
  now += 1000;
  assert.equal(Number(mt.pack(new Uint8Array(4)).msgId >> 32n), 1_700_000_101);
  // what the server sends back (the fake DC's encryption): this session, another session, and a
  // length that leaves more than 1024 bytes of padding
  const body = new TlWriter().int(0x62d6b459).int(0x1cb5c415).int(0).done();
  const server = (session: Uint8Array, extra = 0) => {
    const plain = new TlWriter().long(77n).raw(session).long(5n << 32n | 1n).int(2).int(body.length).raw(body)
      .raw(new Uint8Array(extra)).done();
    return encryptMessage(raw, mt.keyId, plain);
  };
  assert.deepEqual(mt.unpack(server(mt.sessionId)), [{ msgId: 5n << 32n | 1n, body }]);
  assert.throws(() => mt.unpack(server(new Uint8Array(8))), /another session_id/);
  assert.throws(() => mt.unpack(server(mt.sessionId, 1024)), /bad message length/);
});
