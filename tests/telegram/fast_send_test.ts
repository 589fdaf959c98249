import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import bigInt from "big-integer";
import "telegram";
import authKeyModule from "telegram/crypto/AuthKey.js";
import stateModule from "telegram/network/MTProtoState.js";
import coreModule from "telegram/tl/core/index.js";
import igeModule from "telegram/crypto/IGE.js";
import { installFastSend } from "../../lib/telegram/fast_send.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("installFastSend: messages as MTProto 2.0 wants them (msg_key, padding, salt, session), no gzip copies", async () => {
  installFastSend();
  const key = new (authKeyModule as Any).AuthKey();
  await key.setKey(Buffer.from(crypto.getRandomValues(new Uint8Array(256))));
  const state = new (stateModule as Any).MTProtoState(key, { debug() {}, warn() {} });
  state.salt = bigInt("1234567890123");
  const data = Buffer.alloc(512 * 1024 + 5);
  for (let o = 0; o < data.length; o += 65536) crypto.getRandomValues(data.subarray(o, o + 65536));
  const big = await (coreModule as Any).GZIPPacked.gzipIfSmaller(true, data);
  assert.equal(big, data, "sent as is (GramJS's gzip is the identity)");
  const enc: Buffer = await state.encryptMessageData(data);
  assert.deepEqual(
    enc.subarray(0, 8),
    Buffer.from(key.keyId.toArray(256).value.reverse().concat(Array(8).fill(0)).slice(0, 8)),
  );
  const msgKey = enc.subarray(8, 24);
  const { iv, key: aes } = await state._calcKey(key.getKey(), msgKey, true);
  const plain: Buffer = new (igeModule as Any).IGE(aes, iv).decryptIge(enc.subarray(24));
  const pad = plain.length - 16 - data.length;
  assert.ok(pad >= 12 && pad < 28 && plain.length % 16 === 0, `padding ${pad}`);
  const large = createHash("sha256").update(key.getKey().subarray(88, 120)).update(plain).digest();
  assert.deepEqual(msgKey, large.subarray(8, 24), "msg_key");
  assert.equal(plain.readBigInt64LE(0), 1234567890123n, "salt");
  assert.deepEqual(plain.subarray(16, 16 + data.length), data);
});
