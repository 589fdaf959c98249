/**
 * A loopback MTProxy in front of the fake DCs, strict like Telegram's: it reads the 64-byte
 * obfuscated2 header, derives the stream keys with ITS secret, and serves only a connection whose
 * header then shows a known transport tag and a DC id it knows; anything else is dropped without
 * a byte, as a real MTProxy does with a wrong secret. It relays the de-obfuscated stream to the
 * DC (prefixed by the plain transport tag) and counts connections per DC. With a domain it is a
 * fake-TLS (ee) proxy and serves only that: a ClientHello whose random is the HMAC of the secret
 * (and a fresh time) for that SNI, answered with the ServerHello HMAC, then the stream in records.
 */
import nodeCrypto from "node:crypto";
import type { DcSpec } from "./contract.ts";
import { closeQuietly, listenLoopback, pipe, readExactly } from "../_helpers/proxy_server.ts";

/** What the test MTProxy serves. */
export interface MtproxyOptions {
  /** The proxy's 16-byte secret. */
  secret: Uint8Array;
  /** Where each DC id (and its negative, media form) goes. */
  dcs: DcSpec[];
  /** Serve only padded intermediate (what a dd secret promises; MTProxy's "secure only" mode). */
  paddedOnly?: boolean;
  /** Fake TLS only, for this SNI (an ee secret); implies paddedOnly. */
  domain?: string;
}

/** A running test MTProxy. */
export interface TestMtproxy {
  readonly port: number;
  /** Connections relayed, by the DC id the client asked for. */
  readonly connections: Map<number, number>;
  /** Connections dropped: the header did not decrypt to a tag and DC this proxy serves. */
  readonly refused: number;
  /** The transport tags of served connections, in order ("eeeeeeee", "dddddddd", "efefefef"). */
  readonly tags: string[];
  close(): Promise<void>;
}

/** Starts an MTProxy on a free loopback port. */
export function startMtproxy(opts: MtproxyOptions): TestMtproxy {
  const state = { connections: new Map<number, number>(), refused: 0, tags: [] as string[] };
  const server = listenLoopback((c, conns) => _serve(c, opts, state, conns));
  return {
    port: server.port,
    connections: state.connections,
    get refused() {
      return state.refused;
    },
    tags: state.tags,
    close: server.close,
  };
}

const TAGS = new Map([["efefefef", [0xef]], ["eeeeeeee", [0xee, 0xee, 0xee, 0xee]], [
  "dddddddd",
  [0xdd, 0xdd, 0xdd, 0xdd],
]]);

async function _serve(
  c: Deno.Conn,
  opts: MtproxyOptions,
  state: { connections: Map<number, number>; refused: number; tags: string[] },
  conns: Set<Deno.Conn>,
): Promise<void> {
  const first = await readExactly(c, TLS_START.length);
  let header: Uint8Array, rest = new Uint8Array(0);
  let unwrap: ((b: Uint8Array) => Uint8Array) | undefined;
  if (opts.domain) {
    if (first.some((b, i) => b !== TLS_START[i])) return void state.refused++;
    const hello = _concat(first, await readExactly(c, HELLO_LENGTH - first.length));
    if (!_helloOk(hello, opts.secret, opts.domain)) return void state.refused++;
    await c.write(_serverHello(hello, opts.secret));
    unwrap = _records();
    // the obfuscated2 header comes in the first application-data record(s)
    let payload = new Uint8Array(0);
    const buf = new Uint8Array(4096);
    while (payload.length < 64) {
      const n = await c.read(buf);
      if (n === null) return;
      payload = _concat(payload, unwrap(buf.subarray(0, n)));
    }
    header = payload.subarray(0, 64);
    rest = payload.subarray(64);
  } else header = _concat(first, await readExactly(c, 64 - first.length));
  const rev = header.slice(8, 56).reverse();
  const key = (part: Uint8Array) => nodeCrypto.createHash("sha256").update(part).update(opts.secret).digest();
  // the client's encryption is our decryption, and the reversed key material is the way back
  const dec = nodeCrypto.createDecipheriv(
    "aes-256-ctr",
    key(header.subarray(8, 40)),
    header.subarray(40, 56),
  );
  const enc = nodeCrypto.createCipheriv("aes-256-ctr", key(rev.subarray(0, 32)), rev.subarray(32, 48));
  const plain = dec.update(header);
  const tag = plain.subarray(56, 60).toString("hex");
  const dcId = plain.readInt16LE(60);
  const dc = opts.dcs.find((d) => d.id === Math.abs(dcId));
  const prelude = TAGS.get(tag);
  if (!prelude || !dc || ((opts.paddedOnly || opts.domain) && tag !== "dddddddd")) {
    state.refused++;
    return; // dropped without a byte, as MTProxy does
  }
  let up: Deno.Conn;
  try {
    up = await Deno.connect({ hostname: dc.host, port: dc.port });
  } catch {
    return;
  }
  conns.add(up);
  state.connections.set(dcId, (state.connections.get(dcId) ?? 0) + 1);
  state.tags.push(tag);
  await up.write(_concat(new Uint8Array(prelude), dec.update(rest)));
  const fromClient = unwrap ? (b: Uint8Array) => dec.update(unwrap(b)) : (b: Uint8Array) => dec.update(b);
  const toClient = opts.domain ? (b: Uint8Array) => _wrap(enc.update(b)) : (b: Uint8Array) => enc.update(b);
  await Promise.all([pipe(c, up, fromClient), pipe(up, c, toClient)]);
  conns.delete(up);
  closeQuietly(up);
}

const TLS_START = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03];
const HELLO_LENGTH = 517;
const hmac = (key: Uint8Array, data: Uint8Array) =>
  new Uint8Array(nodeCrypto.createHmac("sha256", key).update(data).digest());

/** The random is HMAC(secret, hello with a zero random) but for its last 4 bytes, the time XORed in. */
function _helloOk(hello: Uint8Array, secret: Uint8Array, domain: string): boolean {
  const zeroed = hello.slice();
  zeroed.fill(0, 11, 43);
  const x = hmac(secret, zeroed).map((b, i) => b ^ hello[11 + i]);
  if (x.subarray(0, 28).some((b) => b !== 0)) return false;
  const skew = Date.now() / 1000 - new DataView(x.buffer).getUint32(28, true);
  return skew > -20 * 60 && skew < 10 * 60 && _sni(hello) === domain;
}

/** The server_name of a ClientHello, read the long way (session id, suites, compression, extensions). */
function _sni(h: Uint8Array): string | undefined {
  let at = 43;
  at += 1 + h[at];
  at += 2 + ((h[at] << 8) | h[at + 1]);
  at += 1 + h[at];
  const end = at + 2 + ((h[at] << 8) | h[at + 1]);
  for (at += 2; at + 4 <= end;) {
    const type = (h[at] << 8) | h[at + 1], len = (h[at + 2] << 8) | h[at + 3];
    if (type === 0) return new TextDecoder().decode(h.subarray(at + 9, at + 4 + len));
    at += 4 + len;
  }
  return undefined;
}

/** ServerHello + ChangeCipherSpec + one application-data record; its random proves the secret. */
function _serverHello(hello: Uint8Array, secret: Uint8Array): Uint8Array {
  const session = hello.subarray(44, 44 + hello[43]);
  const key = crypto.getRandomValues(new Uint8Array(32));
  const exts = [
    0x00,
    0x2e,
    0x00,
    0x33,
    0x00,
    0x24,
    0x00,
    0x1d,
    0x00,
    0x20,
    ...key,
    0x00,
    0x2b,
    0x00,
    0x02,
    0x03,
    0x04,
  ];
  const body = [0x03, 0x03, ...new Array(32).fill(0), session.length, ...session, 0x13, 0x01, 0x00, ...exts];
  const data = crypto.getRandomValues(new Uint8Array(1024 + Math.floor(Math.random() * 3072)));
  const out = _concat(
    new Uint8Array([0x16, 0x03, 0x03, ..._u16(body.length + 4), 0x02, 0, ..._u16(body.length), ...body]),
    new Uint8Array([0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03, ..._u16(data.length)]),
    data,
  );
  out.set(hmac(secret, _concat(hello.subarray(11, 43), out)), 11);
  return out;
}

/** A stateful reader of the client's records: application data out, ChangeCipherSpec skipped. */
function _records(): (chunk: Uint8Array) => Uint8Array {
  let buf = new Uint8Array(0);
  return (chunk) => {
    buf = _concat(buf, chunk);
    const out: Uint8Array[] = [];
    while (buf.length >= 5 && buf.length >= 5 + ((buf[3] << 8) | buf[4])) {
      const len = (buf[3] << 8) | buf[4];
      if (buf[0] === 0x17) out.push(buf.slice(5, 5 + len));
      else if (buf[0] !== 0x14) throw new Error(`TLS record type ${buf[0]}`);
      buf = buf.slice(5 + len);
    }
    return _concat(...out);
  };
}

function _wrap(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += 16384) {
    const chunk = data.subarray(o, o + 16384);
    parts.push(new Uint8Array([0x17, 0x03, 0x03, ..._u16(chunk.length)]), chunk);
  }
  return _concat(...parts);
}

function _u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

function _concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
