/**
 * MTProto 2.0 message encryption for the early session check (core.telegram.org/mtproto/description),
 * with @mtcute/wasm's SHA and AES-256-IGE: no node:crypto (its first import loads Deno's Node layer)
 * and no GramJS. The same wasm instance serves fast_ige.ts later (mtcute_wasm.ts loads it once).
 */
import { ige256Decrypt, ige256Encrypt, sha1, sha256 } from "@mtcute/wasm";
import { concatBytes } from "../core/concat_bytes.ts";
import { loadMtcuteWasm } from "./mtcute_wasm.ts";

/** The packet is not a message of this key, or its msg_key does not match. */
export class EarlyCryptoError extends Error {
  constructor(what: string) {
    super(`early MTProto: ${what}`);
    this.name = "EarlyCryptoError";
  }
}

/** Loads @mtcute/wasm once per thread (mtcute_wasm.ts). */
export function initEarlyCrypto(): void {
  loadMtcuteWasm();
}

/** auth_key_id: the low 64 bits of SHA-1(auth_key), as they go on the wire. */
export function authKeyId(authKey: Uint8Array): Uint8Array {
  initEarlyCrypto();
  return sha1(authKey).slice(12, 20);
}

/** MTProto 2.0 AES key and IV from msg_key; x = 0 client to server, 8 server to client. */
function _keyIv(authKey: Uint8Array, msgKey: Uint8Array, x: number): { key: Uint8Array; iv: Uint8Array } {
  const a = sha256(concatBytes([msgKey, authKey.subarray(x, x + 36)]));
  const b = sha256(concatBytes([authKey.subarray(40 + x, 76 + x), msgKey]));
  return {
    key: concatBytes([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: concatBytes([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

/**
 * Encrypts a client message: `plain` is salt, session_id, msg_id, seqno, length and body; 12 to 27
 * random padding bytes make it whole AES blocks (MTProto 2.0 wants 12..1024). Returns the packet:
 * auth_key_id, msg_key, ciphertext.
 */
export function encryptClientMessage(authKey: Uint8Array, keyId: Uint8Array, plain: Uint8Array): Uint8Array {
  initEarlyCrypto();
  const pad = 12 + ((16 - ((plain.length + 12) % 16)) % 16);
  const padded = new Uint8Array(plain.length + pad);
  padded.set(plain);
  crypto.getRandomValues(padded.subarray(plain.length));
  return encryptPadded(authKey, keyId, padded);
}

/** {@link encryptClientMessage} of a plaintext already padded (whole blocks, 12..1024 padding). */
export function encryptPadded(authKey: Uint8Array, keyId: Uint8Array, padded: Uint8Array): Uint8Array {
  initEarlyCrypto();
  const msgKey = sha256(concatBytes([authKey.subarray(88, 120), padded])).slice(8, 24);
  const { key, iv } = _keyIv(authKey, msgKey, 0);
  return concatBytes([keyId, msgKey, ige256Encrypt(padded, key, iv)]);
}

/**
 * Decrypts a server packet of this key: the plaintext (salt, session_id, msg_id, seqno, length,
 * body, padding). EarlyCryptoError when the auth_key_id is another key's, the length is not whole
 * blocks, or the msg_key does not match the plaintext.
 */
export function decryptServerMessage(authKey: Uint8Array, keyId: Uint8Array, packet: Uint8Array): Uint8Array {
  initEarlyCrypto();
  if (packet.length < 24 + 32 || (packet.length - 24) % 16 !== 0) {
    throw new EarlyCryptoError("bad packet length");
  }
  for (let i = 0; i < 8; i++) if (packet[i] !== keyId[i]) throw new EarlyCryptoError("another auth_key_id");
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = _keyIv(authKey, msgKey, 8);
  const plain = ige256Decrypt(packet.subarray(24), key, iv);
  const check = sha256(concatBytes([authKey.subarray(96, 128), plain]));
  for (let i = 0; i < 16; i++) if (check[8 + i] !== msgKey[i]) throw new EarlyCryptoError("msg_key mismatch");
  return plain;
}
