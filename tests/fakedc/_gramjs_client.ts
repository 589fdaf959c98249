/**
 * Test helper: a stock GramJS TelegramClient pointed at a fake Telegram. GramJS ignores ports
 * of other DCs (it dials 80/443), so a connection subclass maps dcId -> port; the test RSA key
 * goes into GramJS's `_serverKeys`. close() also shuts the file-DC senders GramJS leaves open.
 */
import bigInt from "big-integer";
import { TelegramClient } from "telegram";
import { StringSession } from "telegram/sessions/index.js";
import { ConnectionTCPAbridged, ConnectionTCPFull, ConnectionTCPObfuscated } from "telegram/network/index.js";
import { _serverKeys } from "telegram/crypto/RSA.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import type { FakeTelegram } from "./cluster.ts";
import { FAKE_API_HASH, FAKE_API_ID } from "./cluster.ts";

/** GramJS transports (2.26.22 has no intermediate). */
export type GramjsTransport = "full" | "abridged" | "obfuscated";

/** Options of openGramjs. */
export interface GramjsOptions {
  transport?: GramjsTransport;
  /** A StringSession; default: a fresh logged-in session from tg.sessionFor(). "" = no key (handshake). */
  session?: string;
  /** Skip client.connect() (to set client state first). */
  noConnect?: boolean;
  logLevel?: LogLevel;
}

/** A connected client plus a close() that leaves no socket or timer behind. */
export interface GramjsHandle {
  client: TelegramClient;
  close(): Promise<void>;
}

const BASES = {
  full: ConnectionTCPFull,
  abridged: ConnectionTCPAbridged,
  obfuscated: ConnectionTCPObfuscated,
};

// deno-lint-ignore no-explicit-any
type AnyCtor = new (...args: any[]) => any;

/** Creates (and by default connects) a GramJS client on the fake cluster. */
export async function openGramjs(tg: FakeTelegram, opts: GramjsOptions = {}): Promise<GramjsHandle> {
  _serverKeys.set(tg.rsa.fingerprint, { n: bigInt(tg.rsa.n), e: tg.rsa.e });
  const ports = new Map(tg.dcs.map((d) => [d.id, d.port]));
  const Base = BASES[opts.transport ?? "full"] as unknown as AnyCtor;
  class LoopbackConnection extends Base {
    // deno-lint-ignore no-explicit-any
    constructor(o: any) {
      super({ ...o, ip: "127.0.0.1", port: ports.get(o.dcId) ?? o.port });
    }
  }
  const home = tg.dcs.find((d) => d.id === tg.homeDcId)!;
  const session = new StringSession(opts.session ?? tg.sessionFor());
  if (opts.session === "") session.setDC(home.id, "127.0.0.1", home.port);
  const client = new TelegramClient(session, Number(FAKE_API_ID), FAKE_API_HASH, {
    // deno-lint-ignore no-explicit-any
    connection: LoopbackConnection as any,
    useWSS: false,
    connectionRetries: 1,
    autoReconnect: false,
    baseLogger: new Logger(opts.logLevel ?? LogLevel.NONE),
  });
  client.setLogLevel(opts.logLevel ?? LogLevel.NONE);
  if (!opts.noConnect) await client.connect();
  return { client, close: () => closeGramjs(client) };
}

/**
 * destroy() plus what it forgets: GramJS's disconnect() walks `_exportedSenderPromises` (a Map)
 * with Object.values, so file-DC senders and their release timers survive it.
 */
export async function closeGramjs(client: TelegramClient): Promise<void> {
  // deno-lint-ignore no-explicit-any
  const c = client as any;
  const exported: Array<Promise<unknown>> = [...(c._exportedSenderPromises?.values() ?? [])];
  const borrowed: Array<Promise<unknown>> = Object.values(c._borrowedSenderPromises ?? {});
  for (const t of c._exportedSenderReleaseTimeouts?.values() ?? []) clearTimeout(t);
  c._exportedSenderReleaseTimeouts?.clear();
  await client.destroy();
  for (const p of [...exported, ...borrowed]) {
    // deno-lint-ignore no-explicit-any
    const sender: any = await p.catch(() => undefined);
    await sender?.disconnect?.();
  }
}
