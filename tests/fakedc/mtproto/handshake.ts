/**
 * The server side of the MTProto auth-key exchange (req_pq_multi -> req_DH_params ->
 * set_client_DH_params), one instance per connection.
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram/tl/index.js";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import * as H from "telegram/Helpers.js";
import { concat, igeDecrypt, igeEncrypt, sha1 } from "./crypto.ts";
import { bigToBytes, bytesToBig, modPow, rsaDecryptInner, type RsaKey } from "./rsa.ts";
import { DEFAULT_LAYER, LayerReader } from "./tl.ts";

// Telegram's well-known 2048-bit safe prime; g = 3.
const DH_PRIME = BigInt(
  "0xC71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B",
);
const DH_G = 3;
// The pq of core.telegram.org/mtproto/samples-auth_key: clients factor it in microseconds.
const P = 0x494C553Bn, Q = 0x53911073n;

// deno-lint-ignore no-explicit-any
type BigIntObj = any;

/** What a handshake step produced: the plain reply and, at the end, the new auth key. */
export interface HandshakeStep {
  reply: Uint8Array;
  newKey?: Uint8Array;
  /** The salt both sides derive from the nonces (first valid server salt). */
  firstSalt?: bigint;
}

/** One auth-key exchange in progress on one connection. */
export class Handshake {
  #nonce?: BigIntObj;
  #serverNonce?: BigIntObj;
  #newNonce?: BigIntObj;
  #a = 0n;
  #tmpKey?: Uint8Array;
  #tmpIv?: Uint8Array;

  constructor(
    readonly rsa: RsaKey,
    readonly nowSeconds: () => number,
    readonly log: (line: string) => void,
  ) {}

  /** Handles one unencrypted message body; throws on protocol violations (caller drops the link). */
  async step(body: Uint8Array): Promise<HandshakeStep> {
    const obj = new LayerReader(body, DEFAULT_LAYER).tgReadObject();
    if (obj instanceof Api.ReqPqMulti || obj instanceof Api.ReqPq) return this.#resPq(obj.nonce);
    if (obj instanceof Api.ReqDHParams) return this.#dhParams(obj);
    if (obj instanceof Api.SetClientDHParams) return await this.#clientDh(obj);
    throw new Error(`Unexpected unencrypted ${obj?.className ?? "object"}`);
  }

  #resPq(nonce: BigIntObj): HandshakeStep {
    this.#nonce = nonce;
    this.#serverNonce = H.readBigIntFromBuffer(
      Buffer.from(crypto.getRandomValues(new Uint8Array(16))),
      true,
      true,
    );
    const reply = new Api.ResPQ({
      nonce,
      serverNonce: this.#serverNonce,
      pq: Buffer.from(bigToBytes(P * Q)),
      serverPublicKeyFingerprints: [bigInt(this.rsa.fingerprint)],
    });
    return { reply: reply.getBytes() };
  }

  async #dhParams(obj: Api.ReqDHParams): Promise<HandshakeStep> {
    if (obj.publicKeyFingerprint.toString() !== this.rsa.fingerprint) {
      throw new Error(`Unknown RSA fingerprint ${obj.publicKeyFingerprint}`);
    }
    const { data, scheme } = rsaDecryptInner(this.rsa, obj.encryptedData, (b) => {
      const r = new LayerReader(b, DEFAULT_LAYER);
      r.tgReadObject();
      return r.tellPosition();
    });
    this.log(`RSA padding ${scheme}`);
    const inner = new LayerReader(data, DEFAULT_LAYER).tgReadObject();
    const ok = inner instanceof Api.PQInnerData || inner instanceof Api.PQInnerDataDc ||
      inner instanceof Api.PQInnerDataTempDc;
    if (!ok) throw new Error(`Bad p_q_inner_data ${inner?.className}`);
    if (inner.nonce.neq(this.#nonce) || inner.serverNonce.neq(this.#serverNonce)) {
      throw new Error("Nonce mismatch");
    }
    if (bytesToBig(inner.p) !== P || bytesToBig(inner.q) !== Q) throw new Error("Bad p/q");
    this.#newNonce = inner.newNonce;
    const { key, iv } = await H.generateKeyDataFromNonce(this.#serverNonce, this.#newNonce);
    this.#tmpKey = Uint8Array.from(key);
    this.#tmpIv = Uint8Array.from(iv);
    this.#a = bytesToBig(crypto.getRandomValues(new Uint8Array(256))) % (DH_PRIME - 2n) + 1n;
    const gA = modPow(BigInt(DH_G), this.#a, DH_PRIME);
    const answer = new Api.ServerDHInnerData({
      nonce: this.#nonce,
      serverNonce: this.#serverNonce,
      g: DH_G,
      dhPrime: Buffer.from(bigToBytes(DH_PRIME, 256)),
      gA: Buffer.from(bigToBytes(gA, 256)),
      serverTime: Math.floor(this.nowSeconds()),
    }).getBytes();
    const withHash = concat(sha1(answer), answer);
    const padded = concat(withHash, new Uint8Array((16 - (withHash.length % 16)) % 16));
    const reply = new Api.ServerDHParamsOk({
      nonce: this.#nonce,
      serverNonce: this.#serverNonce,
      encryptedAnswer: Buffer.from(igeEncrypt(padded, this.#tmpKey, this.#tmpIv)),
    });
    return { reply: reply.getBytes() };
  }

  async #clientDh(obj: Api.SetClientDHParams): Promise<HandshakeStep> {
    if (!this.#tmpKey || !this.#tmpIv) throw new Error("set_client_DH_params before req_DH_params");
    const dec = igeDecrypt(obj.encryptedData, this.#tmpKey, this.#tmpIv);
    const r = new LayerReader(dec.subarray(20), DEFAULT_LAYER);
    const inner = r.tgReadObject();
    if (!Buffer.from(sha1(dec.subarray(20, 20 + r.tellPosition()))).equals(dec.subarray(0, 20))) {
      throw new Error("client_DH_inner_data sha1 mismatch");
    }
    const gab = modPow(bytesToBig(inner.gB), this.#a, DH_PRIME);
    // Clients use the minimal big-endian form (255 bytes about once in 256 keys): so do we.
    const keyBytes = bigToBytes(gab);
    const ak = new AuthKey();
    await ak.setKey(Buffer.from(keyBytes));
    const newNonceHash1 = await ak.calcNewNonceHash(this.#newNonce, 1);
    const reply = new Api.DhGenOk({ nonce: this.#nonce, serverNonce: this.#serverNonce, newNonceHash1 });
    // salt = substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8)
    const nn = H.toSignedLittleBuffer(this.#newNonce, 32);
    const sn = H.toSignedLittleBuffer(this.#serverNonce, 16);
    const salt = new Uint8Array(8).map((_, i) => nn[i] ^ sn[i]);
    const firstSalt = new DataView(salt.buffer).getBigInt64(0, true);
    return { reply: reply.getBytes(), newKey: keyBytes, firstSalt };
  }
}
