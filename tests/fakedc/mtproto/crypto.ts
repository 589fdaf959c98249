/**
 * MTProto 2.0 message encryption for the fake DC. AES-IGE and SHA run in @mtcute/wasm because
 * GramJS's pure-JS IGE (~30 MB/s) would make the server the bottleneck of every benchmark.
 */
import nodeCrypto from "node:crypto";
import { getWasmUrl, ige256Decrypt, ige256Encrypt, initSync, sha1, sha256 } from "@mtcute/wasm";

initSync(Deno.readFileSync(getWasmUrl()));

export { sha1, sha256 };

/** Concatenates byte arrays into one new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** The auth_key_id: lower 64 bits of SHA1(auth_key), as they appear on the wire, in hex. */
export function authKeyIdHex(key: Uint8Array): string {
  return toHex(sha1(key).subarray(12, 20));
}

/** AES-IGE-256 encryption (data length must be a multiple of 16). */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return ige256Encrypt(data, key, iv);
}

/** AES-IGE-256 decryption (data length must be a multiple of 16). */
export function igeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return ige256Decrypt(data, key, iv);
}

// msg_key hashes cover the whole message: native SHA-256 is ~10x faster than WASM's here.
function _msgKeyHash(part: Uint8Array, data: Uint8Array): Uint8Array {
  return nodeCrypto.createHash("sha256").update(part).update(data).digest().subarray(8, 24);
}

// MTProto 2.0 key derivation; x = 0 for client->server, 8 for server->client.
function _calcKey(authKey: Uint8Array, msgKey: Uint8Array, x: number): { key: Uint8Array; iv: Uint8Array } {
  const a = sha256(concat(msgKey, authKey.subarray(x, x + 36)));
  const b = sha256(concat(authKey.subarray(40 + x, 76 + x), msgKey));
  const key = concat(a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32));
  const iv = concat(b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32));
  return { key, iv };
}

/**
 * Encrypts a server->client message. `plain` is salt..body without padding; MTProto 2.0 wants
 * 12..1024 random padding bytes so that the total is a multiple of 16.
 */
export function encryptMessage(authKey: Uint8Array, keyId: Uint8Array, plain: Uint8Array): Uint8Array {
  const padLen = 12 + ((16 - ((plain.length + 12) % 16)) % 16);
  // One allocation for the whole frame payload: key id, msg key, then ciphertext.
  const padded = new Uint8Array(plain.length + padLen);
  padded.set(plain);
  crypto.getRandomValues(padded.subarray(plain.length));
  const msgKey = _msgKeyHash(authKey.subarray(96, 128), padded);
  const { key, iv } = _calcKey(authKey, msgKey, 8);
  const out = new Uint8Array(24 + padded.length);
  out.set(keyId, 0);
  out.set(msgKey, 8);
  out.set(igeEncrypt(padded, key, iv), 24);
  return out;
}

/**
 * Decrypts a client->server packet (auth_key_id already checked). Returns the plaintext
 * (salt, session_id, msg_id, seqno, length, body, padding) or null when msg_key does not match.
 */
export function decryptMessage(authKey: Uint8Array, packet: Uint8Array): Uint8Array | null {
  if (packet.length < 24 + 32 || (packet.length - 24) % 16 !== 0) return null;
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = _calcKey(authKey, msgKey, 0);
  const plain = igeDecrypt(packet.subarray(24), key, iv);
  const check = _msgKeyHash(authKey.subarray(88, 120), plain);
  for (let i = 0; i < 16; i++) if (check[i] !== msgKey[i]) return null;
  return plain;
}
