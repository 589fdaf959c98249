/**
 * The fake DC's RSA key and the two ways clients encrypt p_q_inner_data with it: RSA_PAD
 * (GramJS, TDLib) and the legacy `sha1(data) + data + random` padding (Telethon 1.25).
 */
import { Buffer } from "node:buffer";
import nodeCrypto from "node:crypto";
import { concat, igeDecrypt, sha1, sha256 } from "./crypto.ts";

/** A test RSA key pair as the server and the clients need it. */
export interface RsaKey {
  /** Signed decimal of the lower 64 bits of sha1(rsa_public_key), as GramJS keys `_serverKeys`. */
  fingerprint: string;
  n: bigint;
  e: bigint;
  d: bigint;
  /** PKCS#1 public key PEM (Telethon's rsa.add_key takes it). */
  pem: string;
}

/** Big-endian bytes to bigint. */
export function bytesToBig(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/** Bigint to big-endian bytes, minimal length unless `len` asks for left zero padding. */
export function bigToBytes(n: bigint, len?: number): Uint8Array {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  const b = Uint8Array.from(Buffer.from(h, "hex"));
  if (len === undefined || b.length >= len) return b;
  const out = new Uint8Array(len);
  out.set(b, len - b.length);
  return out;
}

/** Modular exponentiation on native bigints (fast enough for 2048-bit handshakes). */
export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

// TL `bytes` encoding, used for the fingerprint input.
function _tlBytes(b: Uint8Array): Uint8Array {
  const head = b.length < 254
    ? new Uint8Array([b.length])
    : new Uint8Array([254, b.length & 0xff, (b.length >> 8) & 0xff, b.length >> 16]);
  const pad = (4 - ((head.length + b.length) % 4)) % 4;
  return concat(head, b, new Uint8Array(pad));
}

let _cached: RsaKey | undefined;

/**
 * A 2048-bit test key. Generated once per process: key generation costs ~0.1-1 s and nothing
 * depends on clusters having distinct keys.
 */
export function testRsaKey(): RsaKey {
  if (_cached) return _cached;
  const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicExponent: 65537,
  });
  const jwk = privateKey.export({ format: "jwk" });
  const b64 = (s: string | undefined) => bytesToBig(Uint8Array.from(Buffer.from(s ?? "", "base64url")));
  const n = b64(jwk.n), e = b64(jwk.e), d = b64(jwk.d);
  const fp = sha1(concat(_tlBytes(bigToBytes(n)), _tlBytes(bigToBytes(e)))).subarray(12, 20);
  const fingerprint = new DataView(fp.buffer, fp.byteOffset, 8).getBigInt64(0, true).toString();
  const pem = publicKey.export({ format: "pem", type: "pkcs1" }).toString();
  _cached = { fingerprint, n, e, d, pem };
  return _cached;
}

/**
 * Decrypts req_DH_params.encrypted_data and returns the serialized p_q_inner_data plus which
 * padding the client used. `parse(bytes)` must return the TL length it consumed (to check the
 * legacy sha1, which covers exactly the object), or throw.
 */
export function rsaDecryptInner(
  key: RsaKey,
  encrypted: Uint8Array,
  parseLength: (b: Uint8Array) => number,
): { data: Uint8Array; scheme: "legacy" | "rsa_pad" } {
  const m = bigToBytes(modPow(bytesToBig(encrypted), key.d, key.n), 256);
  // Legacy: 0x00? | sha1(data) | data | random. With a 256-byte block the leading byte is 0.
  if (m[0] === 0) {
    try {
      const len = parseLength(m.subarray(21));
      const data = m.subarray(21, 21 + len);
      if (Buffer.from(sha1(data)).equals(m.subarray(1, 21))) return { data, scheme: "legacy" };
    } catch { /* not the legacy scheme; try RSA_PAD */ }
  }
  const tempKeyXor = m.subarray(0, 32), aesEncrypted = m.subarray(32);
  const h = sha256(aesEncrypted);
  const tempKey = tempKeyXor.map((x, i) => x ^ h[i]);
  const dataWithHash = igeDecrypt(aesEncrypted, tempKey, new Uint8Array(32));
  const dataWithPadding = dataWithHash.slice(0, 192).reverse();
  const hash = sha256(concat(tempKey, dataWithPadding));
  if (!Buffer.from(hash).equals(dataWithHash.subarray(192, 224))) {
    throw new Error("RSA_PAD hash mismatch: client used another RSA key or a broken padding");
  }
  return { data: dataWithPadding, scheme: "rsa_pad" };
}
