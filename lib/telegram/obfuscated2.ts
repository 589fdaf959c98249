/**
 * The obfuscated2 stream an MTProxy expects (core.telegram.org/mtproto/mtproto-transports,
 * "Transport obfuscation"): 64 random bytes open the connection; AES-256-CTR keys for both
 * directions come from them, hashed with the proxy's secret; the transport tag and the DC id sit
 * encrypted at bytes 56..62. A proxy that derives other keys (a wrong secret) reads a bad tag.
 */
import nodeCrypto from "node:crypto";

/** The opening bytes and the two stream ciphers of one connection. */
export interface Obfuscation {
  /** Send first, as is. */
  header: Uint8Array;
  /** Encrypts what we send (continues the header's keystream). */
  encrypt(data: Uint8Array): Uint8Array;
  /** Decrypts what we receive. */
  decrypt(data: Uint8Array): Uint8Array;
}

// First words a server would take for another protocol (HTTP verbs, a TLS record, plain
// intermediate/padded tags), as little-endian numbers
const FORBIDDEN = new Set([
  0x44414548,
  0x54534f50,
  0x20544547,
  0x4954504f,
  0xeeeeeeee,
  0xdddddddd,
  0x02010316,
]);

/**
 * Opens an obfuscated2 stream to `dcId` through an MTProxy with this 16-byte `secret`;
 * `tag` is the transport's 4-byte tag (0xeeeeeeee intermediate, 0xdddddddd padded).
 */
export function obfuscated2(secret: Uint8Array, tag: Uint8Array, dcId: number): Obfuscation {
  const init = _randomInit();
  init.set(tag, 56);
  new DataView(init.buffer).setInt16(60, dcId, true);
  const rev = init.slice(8, 56).reverse();
  const key = (part: Uint8Array) => nodeCrypto.createHash("sha256").update(part).update(secret).digest();
  const enc = nodeCrypto.createCipheriv("aes-256-ctr", key(init.subarray(8, 40)), init.subarray(40, 56));
  const dec = nodeCrypto.createDecipheriv("aes-256-ctr", key(rev.subarray(0, 32)), rev.subarray(32, 48));
  // the whole init goes through the cipher, but only its tail is sent encrypted
  const header = init.slice();
  header.set(enc.update(init).subarray(56, 64), 56);
  return { header, encrypt: (d) => enc.update(d), decrypt: (d) => dec.update(d) };
}

function _randomInit(): Uint8Array {
  const init = new Uint8Array(64);
  const dv = new DataView(init.buffer);
  do crypto.getRandomValues(init); while (
    init[0] === 0xef || FORBIDDEN.has(dv.getUint32(0, true)) || dv.getUint32(4, true) === 0
  );
  return init;
}
