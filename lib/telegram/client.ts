/**
 * Creates, connects and closes tgpipe's Telegram client. GramJS stays inside: callers get a
 * TgClient whose calls all run through the call policy (flood waits, retries, typed errors).
 */
// first: it must run before any GramJS module (see the file)
import "./schema_cache.ts";
import bigInt from "big-integer";
import { TelegramClient } from "telegram";
import type { StringSession } from "telegram/sessions/index.js";
import { _serverKeys } from "telegram/crypto/RSA.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import type { Emit } from "../progress/events.ts";
import { type CallPolicy, callWithPolicy, mapTelegramError } from "./call_policy.ts";
import { DeadSession } from "./dead_session.ts";
import type { TelegramEndpoints } from "./endpoints.ts";
import { type ProxyConfig, ProxyError } from "../core/proxy.ts";
import { FastConnection } from "./fast_connection.ts";
import type { SocketProxy } from "./fast_socket.ts";
import { useFastDecrypt } from "./fast_decrypt.ts";
import { installFastIge } from "./fast_ige.ts";
import { installFastSend } from "./fast_send.ts";
import { installFastTl } from "./fast_tl.ts";
import { keepOneRowPerPeer } from "./session_entities.ts";
import { parseSession } from "./parse_session.ts";
import { isIdempotent } from "./hedged_call.ts";
import { RtoEstimator } from "./rto_estimator.ts";
import { type CopyWatch, SenderLedger } from "./sender_ledger.ts";
import { mainCopyLost } from "./main_copy_watch.ts";
import { installQuickReconnect } from "./quick_reconnect.ts";
import { installProbeResend } from "./probe_resend.ts";
import { withdrawCopies } from "./withdraw_copies.ts";
import { bindGram, gramOf, unbindGram } from "./_gram.ts";

/** What openClient needs; resolved from settings in lib/cli. */
export interface ClientOptions {
  apiId: number;
  apiHash: string;
  /** A StringSession string; undefined starts a fresh, logged-out session (for login). */
  session: string | undefined;
  /** The test seam (telegram_endpoints); undefined = Telegram's own DCs. */
  endpoints?: TelegramEndpoints;
  /** Every connection (main, file DCs) goes through this proxy; undefined = direct. */
  proxy?: ProxyConfig;
  signal?: AbortSignal;
  /** Receives pause/retry events from the call policy. */
  emit?: Emit;
  /** Overrides for the call policy (tests shorten timeouts and backoff). */
  policy?: Omit<CallPolicy, "emit" | "signal" | "account">;
  /** Seconds to wait for a TCP connection. Default 10. */
  connectTimeoutS?: number;
}

/** A connected Telegram client; no GramJS type in its surface. */
export class TgClient {
  /** Label for events: masked phone or user id once known, never a secret. */
  account = "unknown";
  readonly #policy: CallPolicy;
  /** Releases this client's use of the crypto workers (fast_decrypt.ts). */
  #releaseDecrypt: () => void;
  /** Set when the home DC says it does not know our key: every call then fails at once. */
  readonly #dead: DeadSession;
  /** Answer times of the main connection: when an unanswered read is sent again. */
  readonly #rto: RtoEstimator;
  /** Calls in flight per request object: copies are taken back only when no other call shares it. */
  readonly #inFlight = new Map<object, number>();
  /** What the main connection was asked and answered: tells a lost read from one waiting its turn. */
  readonly #ledger = new SenderLedger();

  constructor(policy: CallPolicy, dead: DeadSession = new DeadSession()) {
    this.#policy = policy;
    this.#dead = dead;
    this.#rto = new RtoEstimator({ maxMs: policy.timeoutMs ?? 60_000 });
    this.#releaseDecrypt = useFastDecrypt();
  }

  /**
   * Teaches the main connection's timeout estimate a round trip measured elsewhere to the same DC
   * (the early session check's): without any sample its first lost request waited the initial 2 s.
   */
  learnRoundTrip(ms: number): void {
    this.#rto.observe(performance.now() - Math.max(0, ms));
  }

  /** The main connection's adaptive timeout for a small read now, ms (diagnostics and tests). */
  get timeoutEstimateMs(): number {
    return this.#rto.timeoutMs();
  }

  /** The DC this session lives on. */
  get dcId(): number {
    return gramOf(this).session.dcId;
  }

  /**
   * Invokes one TL request (an Api.* object built inside lib/telegram) through the call policy.
   * `dcId` sends it on another DC's connection (file DCs); `signal` replaces the client's own
   * (clean-up calls that must still go out after the run was stopped). `onTrouble` is told when the
   * call is held up: it waits out a FLOOD_WAIT, sends a copy of a lost request, or retries.
   */
  call<T>(
    request: object,
    opts: { dcId?: number; signal?: AbortSignal; onTrouble?: () => void } = {},
  ): Promise<T> {
    const gram = gramOf(this);
    const method = (request as { className?: string }).className ?? "unknown";
    const main = !opts.dcId;
    // every copy on the main connection, in the ledger; the latest one is what shouldCopy checks
    const watches: CopyWatch[] = [];
    const answerFrom = new Map<number, number>();
    const invoke = (copy: number): Promise<T> => {
      // deno-lint-ignore no-explicit-any
      const p = this.#dead.race(gram.invoke(request as any, opts.dcId) as Promise<T>);
      if (!main) return p;
      const w = this.#ledger.send(performance.now());
      watches.push(w);
      return p.then((v) => {
        this.#ledger.answer(w.seq, method);
        answerFrom.set(copy, this.#ledger.transferStart(w.sentAt, performance.now()));
        return v;
      }, (e) => {
        this.#ledger.forget(w.seq);
        throw e;
      });
    };
    const signal = opts.signal ?? this.#policy.signal;
    // GramJS has one connection per DC here: a copy of an unanswered read goes out on it again
    // (the connection itself is watched by GramJS's pings and reconnects); once the call settled,
    // the copies GramJS still holds are taken back, else each reconnect sent them all again
    const hedge = isIdempotent(request)
      ? {
        rto: this.#rto,
        onSettled: () => this.#withdraw(request, opts.dcId),
        ...(main
          ? {
            shouldCopy: () => this.#looksLost(watches.at(-1), method),
            // timed from when its answer began to come, not while it waited behind other answers
            answerFrom: (copy: number) => answerFrom.get(copy),
          }
          : {}),
      }
      : undefined;
    this.#inFlight.set(request, (this.#inFlight.get(request) ?? 0) + 1);
    const policy = { ...this.#policy, signal, account: this.account, hedge, onTrouble: opts.onTrouble };
    return callWithPolicy(invoke, method, policy).finally(
      () => {
        for (const w of watches) this.#ledger.forget(w.seq);
        const n = this.#inFlight.get(request)! - 1;
        if (n > 0) this.#inFlight.set(request, n);
        else this.#inFlight.delete(request);
      },
    );
  }

  /** Whether the copy `w` on the main connection looks lost (main_copy_watch.ts). */
  #looksLost(w: CopyWatch | undefined, method: string): boolean {
    let gram;
    try {
      gram = gramOf(this);
    } catch {
      return true; // closed: the copy fails at once
    }
    // deno-lint-ignore no-explicit-any
    const reconnecting = (gram as any)._sender?.isReconnecting === true;
    return mainCopyLost(w, method, { reconnecting, ledger: this.#ledger, now: performance.now() });
  }

  /** Takes the copies of `request` back from the main connection (see withdraw_copies.ts). */
  #withdraw(request: object, dcId: number | undefined): void {
    if (this.#inFlight.get(request) !== 1) return;
    let gram;
    try {
      gram = gramOf(this);
    } catch {
      return; // closed
    }
    if (dcId) return; // a sender GramJS lent for another DC: not touched here
    // deno-lint-ignore no-explicit-any
    withdrawCopies((gram as any)._sender, request, new Error("Request withdrawn (its call is over)"));
  }

  /**
   * How long an answer of about `bytes` may take on the main connection before it counts as lost
   * (adaptive, see RtoEstimator): file connections to a DC not heard from yet start from it.
   */
  answerTimeoutMs(bytes = 0): number {
    return this.#rto.timeoutMs(bytes);
  }

  /** How long a small request alone on a fresh connection may take (RtoEstimator.idleTimeoutMs). */
  idleAnswerTimeoutMs(): number {
    return this.#rto.idleTimeoutMs();
  }

  /** The session as a string to store; a secret: never print or log it. */
  exportSession(): string {
    return (gramOf(this).session as StringSession).save();
  }

  /**
   * Disconnects every connection, including the file-DC ones GramJS leaves open after
   * destroy() (it walks a Map with Object.values), and their release timers.
   */
  async close(): Promise<void> {
    this.#releaseDecrypt();
    let gram;
    try {
      gram = gramOf(this);
    } catch {
      return;
    }
    unbindGram(this);
    // deno-lint-ignore no-explicit-any
    const g = gram as any;
    const exported = [...(g._exportedSenderPromises as Map<number, Promise<unknown>>).values()];
    const borrowed = Object.values(g._borrowedSenderPromises as Record<string, Promise<unknown>>);
    const timers = [...(g._exportedSenderReleaseTimeouts as Map<number, number>).values()];
    await gram.destroy().catch(() => {});
    for (const t of timers) clearTimeout(t);
    g._exportedSenderReleaseTimeouts.clear();
    await Promise.all([...exported, ...borrowed].map(async (p) => {
      try {
        const sender = (await p) as { disconnect(): Promise<void> } | undefined;
        await sender?.disconnect();
      } catch {
        // a sender that never connected has nothing to close
      }
    }));
  }
}

/** Creates a GramJS client (logging silenced, fast AES-IGE, the seam if set) and connects it. */
export async function openClient(opts: ClientOptions): Promise<TgClient> {
  installFastIge();
  installFastTl();
  installFastSend();
  installQuickReconnect();
  installProbeResend();
  const dcs = opts.endpoints ? Object.keys(opts.endpoints.dcs).map(Number) : undefined;
  const session: StringSession = parseSession(opts.session ?? "", dcs);
  keepOneRowPerPeer(session);
  const dead = new DeadSession();
  const params: Record<string, unknown> = {
    // GramJS logs at info by default and may print request data: keep it silent
    baseLogger: new Logger(LogLevel.NONE),
    // 0 hands every FLOOD_WAIT to our middleware, which pauses this account and reports it
    floodSleepThreshold: 0,
    connectionRetries: 2,
    retryDelay: 500,
    timeout: opts.connectTimeoutS ?? 10,
    autoReconnect: true,
    useWSS: false,
    // intermediate transport over tgpipe's socket: no JS CRC32, no per-chunk copies
    connection: _watchedConnection(FastConnection, (dcId) => {
      // -404 from the home DC: the key (and so the login) is gone; from a file DC, GramJS
      // makes that DC a new key itself
      if (dcId === gram.session.dcId) dead.kill();
    }),
  };
  // FastSocket receives it from GramJS and opens its tunnel; for an MTProxy, FastConnection starts
  // the obfuscated2 stream (GramJS's own MTProxy code runs only for a key "MTProxy": ours has none).
  // GramJS retries a failed first connection and then waits forever: a proxy that cannot open the
  // tunnel while connecting ends the client at once; later, a failure is a dropped connection.
  let connected = false;
  if (opts.proxy) {
    const proxy: SocketProxy = { ...opts.proxy, onFail: (err) => void (!connected && dead.kill(err)) };
    params.proxy = proxy;
  }
  if (opts.endpoints) {
    _registerRsaKey(opts.endpoints);
    params.connection = _seamConnection(opts.endpoints, params.connection as typeof FastConnection);
    const dcs = opts.endpoints.dcs;
    if (!session.serverAddress || !(session.dcId in dcs)) {
      // a fresh session would go to GramJS's default DC on Telegram: start on a mapped one
      const home = dcs[2] ? 2 : Number(Object.keys(dcs)[0]);
      session.setDC(home, dcs[home].host, dcs[home].port);
    }
  }
  const gram = new TelegramClient(session, opts.apiId, opts.apiHash, params);
  gram.setLogLevel(LogLevel.NONE);
  _oneWelcomeAtATime(gram);
  const client = new TgClient({ ...opts.policy, emit: opts.emit, signal: opts.signal }, dead);
  bindGram(client, gram);
  const onAbort = () => void client.close();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await callWithPolicy(() => dead.race(gram.connect()), "connect", {
      ...opts.policy,
      emit: opts.emit,
      signal: opts.signal,
    });
    connected = true;
  } catch (err) {
    await client.close();
    if (err instanceof ProxyError) throw err;
    throw mapTelegramError(err, "connect");
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
  return client;
}

/**
 * GramJS asks users.getMe after each reconnect of the main connection (its _handleReconnect). One
 * still unanswered when the connection drops again is sent again on the next connection, beside
 * the next reconnect's own: drops in a row piled them up (four on one connection in a faulted
 * export, each one more request that could draw the next drop). A reconnect while one is still
 * in flight waits for that one instead. Set before connect(), which binds the callback.
 */
function _oneWelcomeAtATime(gram: TelegramClient): void {
  // deno-lint-ignore no-explicit-any
  const g = gram as any;
  const handle: () => Promise<void> = g._handleReconnect.bind(gram);
  let inFlight: Promise<void> | undefined;
  g._handleReconnect = () => (inFlight ??= handle().finally(() => (inFlight = undefined)));
}

function _registerRsaKey(ep: TelegramEndpoints): void {
  if (!ep.rsa) return;
  // GramJS looks server keys up by the signed-decimal fingerprint string (crypto/RSA.js)
  _serverKeys.set(ep.rsa.fingerprint, { n: bigInt(ep.rsa.n), e: ep.rsa.e });
}

/** `base`, telling `onDeadKey` the DC of every connection that gets transport error -404. */
function _watchedConnection(
  base: typeof FastConnection,
  onDeadKey: (dcId: number) => void,
): typeof FastConnection {
  return class WatchedConnection extends base {
    override onTransportError(code: number): void {
      if (code === -404) onDeadKey(this.dcId);
    }
  };
}

function _seamConnection(ep: TelegramEndpoints, base: typeof FastConnection): typeof FastConnection {
  // GramJS ignores the session's port (connect() uses 80/443, getDC() answers 443), so the
  // map is applied where every connection is built: here, by DC id.
  return class SeamConnection extends base {
    constructor(o: ConstructorParameters<typeof FastConnection>[0]) {
      const dc = ep.dcs[o.dcId];
      if (!dc) throw new RangeError(`telegram_endpoints has no address for DC ${o.dcId}`);
      super({ ...o, ip: dc.host, port: dc.port });
    }
  };
}
