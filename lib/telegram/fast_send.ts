/**
 * Fewer copies of every outgoing MTProto message in GramJS. An uploaded 512 KB part was copied
 * about 13 times on its way out, so each part in flight cost ~6 MB of short-lived buffers and an
 * upload's RSS grew with its parts in flight (about 275 MB at 16). Two of GramJS's steps copy for
 * nothing: GZIPPacked.gzipIfSmaller "compresses" with an identity gzip (three copies, then keeps the
 * original, never smaller), and encryptMessageData concatenates the plaintext three times. Here the
 * first is skipped (only while gzip is the identity) and the second builds the padded plaintext once.
 * The bytes on the wire are the same.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import "telegram";
import coreModule from "telegram/tl/core/index.js";
import stateModule from "telegram/network/MTProtoState.js";
import helpersModule from "telegram/Helpers.js";
import igeModule from "telegram/crypto/IGE.js";

interface _AuthKey {
  keyId: unknown;
  waitForKey(): Promise<void>;
  getKey(): Buffer | undefined;
}
interface _State {
  authKey?: _AuthKey;
  salt: unknown;
  id: unknown;
  _calcKey(authKey: Buffer, msgKey: Buffer, client: boolean): Promise<{ iv: Buffer; key: Buffer }>;
}
type _Gzip = {
  gzipIfSmaller(contentRelated: boolean, data: Buffer): Promise<Buffer>;
  gzip(b: Buffer): Buffer;
};
type _Helpers = {
  toSignedLittleBuffer(v: unknown, n: number): Buffer;
  readBufferFromBigInt(v: unknown, n: number): Buffer;
};

let _installed = false;

/** MTProto 2.0 encryption as GramJS's encryptMessageData, with the plaintext built once. */
async function _encryptMessageData(this: _State, data: Buffer): Promise<Buffer> {
  if (!this.authKey) throw new Error("Auth key unset");
  await this.authKey.waitForKey();
  const authKey = this.authKey.getKey();
  if (!authKey || !this.salt || !this.id || !this.authKey.keyId) throw new Error("Unset params");
  const h = helpersModule as unknown as _Helpers;
  const len = 16 + data.length;
  // 12 to 27 random bytes, so the whole is a multiple of 16 (MTProto 2.0)
  const pad = (((-(len + 12)) % 16) + 16) % 16 + 12;
  const plain = Buffer.allocUnsafe(len + pad);
  plain.set(h.toSignedLittleBuffer(this.salt, 8), 0);
  plain.set(h.toSignedLittleBuffer(this.id, 8), 8);
  plain.set(data, 16);
  crypto.getRandomValues(plain.subarray(len));
  const msgKeyLarge = createHash("sha256").update(authKey.subarray(88, 120)).update(plain).digest();
  const msgKey = msgKeyLarge.subarray(8, 24);
  const { iv, key } = await this._calcKey(authKey, msgKey, true);
  const keyId = h.readBufferFromBigInt(this.authKey.keyId, 8);
  const Ige =
    (igeModule as unknown as { IGE: new (k: Buffer, iv: Buffer) => { encryptIge(b: Buffer): Buffer } }).IGE;
  return Buffer.concat([keyId, msgKey, new Ige(key, iv).encryptIge(plain)]);
}

/** Installs both (see module comment) for every GramJS client of this process. Idempotent. */
export function installFastSend(): void {
  if (_installed) return;
  _installed = true;
  const gz = (coreModule as unknown as { GZIPPacked: _Gzip }).GZIPPacked;
  const probe = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // a GramJS whose gzip really compresses keeps its own path
  if (Buffer.compare(gz.gzip(probe), probe) === 0) gz.gzipIfSmaller = (_c, data) => Promise.resolve(data);
  const proto =
    (stateModule as unknown as { MTProtoState: { prototype: Record<string, unknown> } }).MTProtoState
      .prototype;
  proto.encryptMessageData = _encryptMessageData;
}
