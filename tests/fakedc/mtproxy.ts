/**
 * A loopback MTProxy in front of the fake DCs, strict like Telegram's: it reads the 64-byte
 * obfuscated2 header, derives the stream keys with ITS secret, and serves only a connection whose
 * header then shows a known transport tag and a DC id it knows; anything else is dropped without
 * a byte, as a real MTProxy does with a wrong secret. It relays the de-obfuscated stream to the
 * DC (prefixed by the plain transport tag) and counts connections per DC.
 */
import nodeCrypto from "node:crypto";
import type { DcSpec } from "./contract.ts";
import { closeQuietly, pipe, readExactly } from "../_helpers/proxy_server.ts";

/** What the test MTProxy serves. */
export interface MtproxyOptions {
  /** The proxy's 16-byte secret. */
  secret: Uint8Array;
  /** Where each DC id (and its negative, media form) goes. */
  dcs: DcSpec[];
  /** Serve only padded intermediate (what a dd secret promises; MTProxy's "secure only" mode). */
  paddedOnly?: boolean;
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
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const runs = new Set<Promise<void>>();
  const state = { connections: new Map<number, number>(), refused: 0, tags: [] as string[] };
  const accepting = (async () => {
    for await (const c of listener) {
      conns.add(c);
      const run = _serve(c, opts, state, conns).catch(() => {}).finally(() => {
        closeQuietly(c);
        conns.delete(c);
        runs.delete(run);
      });
      runs.add(run);
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    connections: state.connections,
    get refused() {
      return state.refused;
    },
    tags: state.tags,
    async close() {
      listener.close();
      for (const c of conns) closeQuietly(c);
      await accepting;
      await Promise.all([...runs]);
    },
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
  const header = await readExactly(c, 64);
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
  if (!prelude || !dc || (opts.paddedOnly && tag !== "dddddddd")) {
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
  await up.write(new Uint8Array(prelude));
  await Promise.all([pipe(c, up, (b) => dec.update(b)), pipe(up, c, (b) => enc.update(b))]);
  conns.delete(up);
  closeQuietly(up);
}
