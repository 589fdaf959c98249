/**
 * MTProxy's fake-TLS mode (ee secrets): the connection opens like a TLS 1.3 handshake with the
 * secret's domain as SNI, and the obfuscated2 stream then travels in TLS application-data
 * records. The ClientHello's random is an HMAC-SHA256 (keyed with the secret) of the hello
 * itself, its last 4 bytes XORed with the time; the proxy proves it knows the secret by answering
 * with the HMAC of our random and its reply. No real TLS runs: the proxy checks only the HMACs.
 */
import nodeCrypto from "node:crypto";
import { concatBytes } from "../core/concat_bytes.ts";

/** A ClientHello is exactly this long: proxies recognise it by its first 11 bytes. */
export const HELLO_LENGTH = 517; // any host name (at most 253 bytes) fits
const RANDOM_AT = 11;
/** Payload of one application-data record we send. */
const RECORD_MAX = 16384;
const CHANGE_CIPHER_SPEC = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];

const u16 = (n: number) => [n >> 8, n & 0xff];

/** A ClientHello for `domain`, its random set from `secret` at time `nowS`; keep `random` to check the answer. */
export function clientHello(
  secret: Uint8Array,
  domain: string,
  nowS = Math.floor(Date.now() / 1000),
): { hello: Uint8Array; random: Uint8Array } {
  const rnd = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))];
  const name = [...new TextEncoder().encode(domain)];
  const ext = (type: number, body: number[]) => [...u16(type), ...u16(body.length), ...body];
  const suites = [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013];
  const exts = [
    ...ext(0x0000, [...u16(name.length + 3), 0, ...u16(name.length), ...name]),
    ...ext(0x0017, []),
    ...ext(0xff01, [0]),
    ...ext(0x000a, [0, 6, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]),
    ...ext(0x000b, [1, 0]),
    ...ext(0x0023, []),
    ...ext(0x0010, [0, 12, 2, ..._ascii("h2"), 8, ..._ascii("http/1.1")]),
    ...ext(0x000d, [0, 8, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03]),
    ...ext(0x0033, [0, 36, 0x00, 0x1d, 0, 32, ...rnd(32)]),
    ...ext(0x002d, [1, 1]),
    ...ext(0x002b, [4, 0x03, 0x04, 0x03, 0x03]),
  ];
  const head = [
    0x03,
    0x03,
    ...new Array(32).fill(0),
    32,
    ...rnd(32),
    ...u16(suites.length * 2),
    ...suites.flatMap(u16),
    1,
    0,
  ];
  const fixed = 5 + 4 + head.length + 2 + exts.length + 4;
  if (fixed > HELLO_LENGTH) throw new RangeError("The fake-TLS domain does not fit in a ClientHello");
  exts.push(...ext(0x0015, new Array(HELLO_LENGTH - fixed).fill(0)));
  const body = [...head, ...u16(exts.length), ...exts];
  const hello = new Uint8Array([
    0x16,
    0x03,
    0x01,
    ...u16(body.length + 4),
    0x01,
    0,
    ...u16(body.length),
    ...body,
  ]);
  const random = _hmac(secret, hello);
  const t = new DataView(random.buffer, random.byteOffset).getUint32(28, true);
  new DataView(random.buffer, random.byteOffset).setUint32(28, (t ^ nowS) >>> 0, true);
  hello.set(random, RANDOM_AT);
  return { hello, random };
}

/**
 * Reads the proxy's answer (ServerHello, ChangeCipherSpec, one application-data record) and checks
 * its random: HMAC(secret, our random + the answer with its random zeroed). False if it does not match.
 */
export async function readServerHello(
  read: (n: number) => Promise<Uint8Array>,
  secret: Uint8Array,
  random: Uint8Array,
): Promise<boolean> {
  const parts: Uint8Array[] = [];
  for (const type of [0x16, 0x14, 0x17]) {
    const head = await read(5);
    if (head[0] !== type || head[1] !== 3 || head[2] !== 3) return false;
    parts.push(head, await read((head[3] << 8) | head[4]));
  }
  const answer = concatBytes(parts);
  const theirs = answer.slice(RANDOM_AT, RANDOM_AT + 32);
  answer.fill(0, RANDOM_AT, RANDOM_AT + 32);
  const want = _hmac(secret, new Uint8Array([...random, ...answer]));
  return nodeCrypto.timingSafeEqual(want, theirs);
}

/** `data` as application-data records; `first` puts the ChangeCipherSpec record before them. */
export function wrapRecords(data: Uint8Array, first: boolean): Uint8Array {
  const n = Math.ceil(data.length / RECORD_MAX);
  const out = new Uint8Array((first ? 6 : 0) + n * 5 + data.length);
  let at = 0;
  if (first) (out.set(CHANGE_CIPHER_SPEC), at = 6);
  for (let o = 0; o < data.length; o += RECORD_MAX) {
    const chunk = data.subarray(o, o + RECORD_MAX);
    out.set([0x17, 0x03, 0x03, ...u16(chunk.length)], at);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  return out;
}

function _hmac(secret: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.createHmac("sha256", secret).update(data).digest());
}

function _ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}
