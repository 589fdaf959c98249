/**
 * A fake Telegram: three DCs on loopback (home DC 2, DC 1, media DC 4) sharing one auth-key
 * registry and one world. Keys stay bound to the DC that made them, so clients must really
 * export/import authorizations to download from another DC.
 */
import { Buffer } from "node:buffer";
import type { AuthRecord, DcSpec, FaultSpec, HandlerMap, Layer } from "./contract.ts";
import { defaultFaults, makeRng, parseFaults } from "./faults.ts";
import { authKeyIdHex } from "./mtproto/crypto.ts";
import type { ConnEnv } from "./mtproto/connection.ts";
import { DcServer } from "./mtproto/dc_server.ts";
import { testRsaKey } from "./mtproto/rsa.ts";
import { DcState, newStats, type ServerStats } from "./mtproto/session.ts";
import { loadWorld, type World } from "./world/index.ts";
import { createHandlers } from "./handlers/index.ts";
import { FAKE_API_HASH, FAKE_API_ID } from "./world/login.ts";

/** Options of startFakeTelegram. */
export interface StartOptions {
  /** A world, an export directory or a `gen:` spec (see world/index.ts). */
  world: string | World;
  faults?: FaultSpec | string;
  /** Seeds the world and every fault decision. Default 1. */
  seed?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** DC 2 listens on basePort, DC 1 on basePort+1, DC 4 on basePort+2; 0 (default) = free ports below 32768. */
  basePort?: number;
  log?: (line: string) => void;
  /** Log every RPC too (noisy). */
  trace?: boolean;
  /** Skews the servers' clock (ms) to test clients' time correction. */
  clockOffsetMs?: number;
  /** Seconds each server salt stays current. Default 1800. */
  saltPeriodS?: number;
  /** The servers' wall clock (ms). Default Date.now; tests that move time by hand pass their own. */
  clock?: () => number;
  /**
   * Methods a test expects clients to call without a handler. Any other unimplemented call makes
   * close() throw, so a test whose client needs a missing handler fails loudly.
   */
  allowUnimplemented?: string[];
  /** Replaces the world's handlers (protocol tests use the small dev set); gets the bound DCs. */
  handlers?: (dcs: DcSpec[]) => (dc: DcSpec) => HandlerMap;
}

/** A running fake Telegram. */
export interface FakeTelegram {
  dcs: DcSpec[];
  homeDcId: number;
  rsa: { fingerprint: string; n: string; e: number; pem: string };
  /** TGPIPE_SESSION, TGPIPE_API_ID, TGPIPE_API_HASH, TGPIPE_TELEGRAM_ENDPOINTS. */
  env: Record<string, string>;
  world: World;
  registry: Map<string, AuthRecord>;
  faults: FaultSpec;
  /** Protocol counters (bad salts, new sessions, containers, gzip, faults...). */
  stats: ServerStats;
  /** Methods clients called that no handler implements (tests should assert it stays empty). */
  unimplemented: Set<string>;
  /** Registers a logged-in auth key on the home DC; returns a GramJS/Telethon StringSession. */
  sessionFor(userId?: bigint): string;
  /** Open client connections per DC id. */
  connectionCount(): Record<number, number>;
  /** Drops every client connection (listeners stay up). */
  dropConnections(): Promise<void>;
  close(): Promise<void>;
}

/** Test API credentials (see world/login.ts); these are what env carries. */
export { FAKE_API_HASH, FAKE_API_ID } from "./world/login.ts";

function _ip4(host: string): Uint8Array {
  const h = host === "0.0.0.0" || host === "localhost" ? "127.0.0.1" : host;
  const parts = h.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
    throw new RangeError(`Host must be an IPv4 address, got "${host}"`);
  }
  return Uint8Array.from(parts);
}

// GramJS's StringSession.save() writes the port with writeInt16BE and throws above 32767, and
// the kernel's ephemeral range starts at 32768: so "any free port" means one from 20000-32767.
function _listenLowPort(env: ConnEnv, host: string): DcServer {
  for (let attempt = 0;; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    try {
      return DcServer.listen(env, host, port);
    } catch (e) {
      if (!(e instanceof Deno.errors.AddrInUse) || attempt > 50) throw e;
    }
  }
}

/** Starts DCs 2 (home), 1 and 4 (media) and returns once all three listen. */
export async function startFakeTelegram(opts: StartOptions): Promise<FakeTelegram> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? "127.0.0.1";
  const faults = typeof opts.faults === "string"
    ? parseFaults(opts.faults)
    : (opts.faults ?? defaultFaults());
  const log = opts.log ?? (() => {});
  const world = typeof opts.world === "string"
    ? await loadWorld(opts.world, { seed, fileDcs: [2, 4] })
    : opts.world;
  const rsa = testRsaKey();
  const registry = new Map<string, AuthRecord>();
  const layers = new Map<string, Layer>();
  const unimplemented = new Set<string>();
  const stats = newStats();
  const ids = [2, 1, 4];
  const servers: DcServer[] = [];
  const envs: ConnEnv[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      const dc: DcSpec = { id, host, port: 0, media: id === 4 ? true : undefined };
      const env: ConnEnv = {
        dc,
        state: new DcState(opts.clockOffsetMs ?? 0, opts.saltPeriodS ?? 1800, opts.clock),
        rsa,
        registry,
        layers,
        handlers: {},
        faults,
        rng: makeRng((seed * 7919 + id) >>> 0),
        log,
        trace: opts.trace ?? false,
        unimplemented,
        stats,
      };
      const s = opts.basePort ? DcServer.listen(env, host, opts.basePort + i) : _listenLowPort(env, host);
      dc.port = s.port;
      servers.push(s);
      envs.push(env);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
  const dcs = envs.map((e) => e.dc);
  // Clocks: handlers see the same (possibly skewed) time as the protocol layer.
  const now = () => envs[0].state.nowMs();
  const forDc = opts.handlers?.(dcs) ??
    createHandlers(world, { dcs, homeDcId: 2, faults, rng: makeRng(seed), registry, now, stats });
  for (const env of envs) env.handlers = forDc(env.dc);

  const home = dcs[0];
  const sessionFor = (userId?: bigint): string => {
    const key = crypto.getRandomValues(new Uint8Array(256));
    key[0] |= 0x80; // a full 256-byte key, as StringSession stores exactly 256 bytes
    const keyIdHex = authKeyIdHex(key);
    registry.set(keyIdHex, { keyIdHex, key, dcId: home.id, userId: userId ?? world.selfUserId });
    const b = new Uint8Array(1 + 4 + 2 + 256);
    b[0] = home.id;
    b.set(_ip4(home.host), 1);
    new DataView(b.buffer).setUint16(5, home.port, false);
    b.set(key, 7);
    return "1" + Buffer.from(b).toString("base64");
  };
  const endpoints = {
    dcs: Object.fromEntries(
      dcs.map((d) => [String(d.id), { host: d.host, port: d.port, ...(d.media ? { media: true } : {}) }]),
    ),
    rsa: { fingerprint: rsa.fingerprint, n: rsa.n.toString(), e: Number(rsa.e) },
  };
  let closed = false;
  log(
    `fake Telegram up: ${
      dcs.map((d) => `DC${d.id}${d.media ? " (media)" : ""} ${d.host}:${d.port}`).join(", ")
    }`,
  );
  return {
    dcs,
    homeDcId: home.id,
    rsa: { fingerprint: rsa.fingerprint, n: rsa.n.toString(), e: Number(rsa.e), pem: rsa.pem },
    env: {
      TGPIPE_SESSION: sessionFor(),
      TGPIPE_API_ID: FAKE_API_ID,
      TGPIPE_API_HASH: FAKE_API_HASH,
      TGPIPE_TELEGRAM_ENDPOINTS: JSON.stringify(endpoints),
    },
    world,
    registry,
    faults,
    unimplemented,
    stats,
    sessionFor,
    connectionCount: () => Object.fromEntries(servers.map((s) => [s.env.dc.id, s.connectionCount])),
    dropConnections: async () => {
      await Promise.all(servers.map((s) => s.dropConnections()));
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all(servers.map((s) => s.close()));
      const allowed = new Set(opts.allowUnimplemented ?? []);
      const missing = [...unimplemented].filter((m) => !allowed.has(m));
      if (missing.length > 0) {
        throw new Error(`Client called methods the fake DC does not implement: ${missing.join(", ")}`);
      }
    },
  };
}
