/**
 * The early session check: users.getUsers([inputUserSelf]) on the session's auth key, sent by
 * tgpipe's own MTProto code on a connection of its own while GramJS is still loading (GramJS's
 * load is most of a command's start-up: docs/startup-performance.md). It answers the account, or
 * that the session is dead; anything else (no answer in time, a migrate, bytes it cannot read)
 * gives a fallback and GramJS checks the session as before. No GramJS and no node: import here.
 */
import type { Account } from "../core/account.ts";
import type { LoginRequiredError } from "../core/errors.ts";
import { deadSessionError } from "./dead_session.ts";
import { EarlyMtproto, unpackGzip } from "./early_mtproto.ts";
import { initParams, selfRequest } from "./early_request.ts";
import {
  BAD_MSG_NOTIFICATION,
  BAD_SERVER_SALT,
  NEW_SESSION_CREATED,
  PING,
  PONG,
  RPC_ERROR,
  RPC_RESULT,
} from "./early_schema.ts";
import type { EarlySession } from "./early_session.ts";
import { TlReader, TlWriter } from "./early_tl.ts";
import { readSelfAccount } from "./early_user.ts";
import { REVOKED, revokedError } from "./revoked.ts";

/** What the early check found out. */
export type EarlyOutcome =
  | { kind: "account"; account: Account }
  | { kind: "dead"; error: LoginRequiredError }
  | { kind: "fallback"; reason: string };

/** What one early check needs. */
export interface EarlyCheckOptions {
  apiId: number;
  session: EarlySession;
  /** Gives up (a fallback) when aborted. */
  signal?: AbortSignal;
  /** Longest wait for the server, per step (opening and the salt; then the answer). Default 3000. */
  timeoutMs?: number;
  /** Longest wait for release() before the connection is closed (a fallback then). Default 60000. */
  holdMs?: number;
}

/**
 * A running check. `ready` settles once the connection is open and the server's salt known (or
 * the check ended): until then only a ping went out, which the server runs nothing for. The
 * request itself goes out on `release()`: a command calls it when it is about to connect, after
 * its input was checked, so a bad input still makes no request.
 */
export interface EarlyCheck {
  ready: Promise<void>;
  release(): void;
  outcome: Promise<EarlyOutcome>;
}

/** Sends before giving up: bad_server_salt and a clock fix each cost one more. */
const MAX_SENDS = 4;
/** The intermediate transport's tag (the transport fast_connection.ts speaks too). */
const INTERMEDIATE = new Uint8Array([0xee, 0xee, 0xee, 0xee]);

/** Starts the check; never rejects (every failure is a fallback outcome). */
export function earlyCheck(opts: EarlyCheckOptions): EarlyCheck {
  let onReady!: () => void, release!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const released = new Promise<void>((r) => (release = r));
  const outcome = _run(opts, onReady, released).catch((err): EarlyOutcome => ({
    kind: "fallback",
    reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  })).finally(onReady);
  return { ready, release, outcome };
}

async function _run(
  opts: EarlyCheckOptions,
  onReady: () => void,
  released: Promise<void>,
): Promise<EarlyOutcome> {
  const { session } = opts;
  const step = new _Steps(opts.signal, opts.timeoutMs ?? 3000);
  try {
    const mt = new EarlyMtproto(session.authKey);
    const conn = await step.run(() => _connect(session, step.signal));
    step.onAbort(() => _close(conn));
    const frames = new _Frames(conn);
    await _write(conn, [INTERMEDIATE]);
    // a ping first: its answer (bad_server_salt, with salt 0) gives the salt, or -404 a dead key
    for (let sends = 0;; sends++) {
      if (sends === MAX_SENDS) return { kind: "fallback", reason: "no salt after resends" };
      const { msgId, packet } = mt.pack(
        new TlWriter().int(PING).raw(crypto.getRandomValues(new Uint8Array(8))).done(),
      );
      await _write(conn, [_frame(packet)]);
      const answer = await step.run(() => _await(mt, frames, msgId, session.dcId, true));
      if (answer === "ok") break;
      if (answer !== "resend") return answer;
    }
    onReady();
    await step.hold(released, opts.holdMs ?? 60_000);
    const body = selfRequest(initParams(opts.apiId));
    for (let sends = 0; sends < MAX_SENDS; sends++) {
      const { msgId, packet } = mt.pack(body);
      await _write(conn, [_frame(packet)]);
      const answer = await step.run(() => _await(mt, frames, msgId, session.dcId, false));
      if (answer !== "resend" && answer !== "ok") return answer;
    }
    return { kind: "fallback", reason: "no answer after resends" };
  } finally {
    step.end();
  }
}

/** The check's stop (the caller's signal) and per-step timeouts, which close the connection. */
class _Steps {
  readonly #ctl = new AbortController();
  readonly #unlink: () => void;

  constructor(outer: AbortSignal | undefined, readonly timeoutMs: number) {
    const stop = () => this.#ctl.abort(outer?.reason);
    outer?.addEventListener("abort", stop, { once: true });
    if (outer?.aborted) stop();
    this.#unlink = () => outer?.removeEventListener("abort", stop);
  }

  get signal(): AbortSignal {
    return this.#ctl.signal;
  }

  /** Calls `fn` now, or when the check stops. */
  onAbort(fn: () => void): void {
    if (this.signal.aborted) fn();
    else this.signal.addEventListener("abort", fn, { once: true });
  }

  /** Runs one network step; it times out after timeoutMs. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    return await this.#bounded(fn(), this.timeoutMs, "no answer in time");
  }

  /** Waits for `p` (the release), at most `ms`. */
  async hold(p: Promise<void>, ms: number): Promise<void> {
    await this.#bounded(p, ms, "not released in time");
  }

  async #bounded<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
    this.signal.throwIfAborted();
    const timer = setTimeout(() => this.#ctl.abort(new DOMException(why, "TimeoutError")), ms);
    let onAbort!: () => void;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(this.signal.reason);
          this.signal.addEventListener("abort", onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener("abort", onAbort);
    }
  }

  /** Ends the check: the connection is closed, the caller's signal let go. */
  end(): void {
    this.#ctl.abort(new DOMException("check over", "AbortError"));
    this.#unlink();
  }
}

function _close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed already */ }
}

/** Reads until the answer to `msgId` comes, or the server asks for the request again. */
async function _await(
  mt: EarlyMtproto,
  frames: _Frames,
  msgId: bigint,
  dcId: number,
  ping: boolean,
): Promise<EarlyOutcome | "resend" | "ok"> {
  for (;;) {
    const packet = await frames.next();
    if (packet.length === 4) {
      const code = new DataView(packet.buffer, packet.byteOffset, 4).getInt32(0, true);
      // -404: the server does not know this auth key, so the login is gone
      if (code === -404) return { kind: "dead", error: deadSessionError() };
      return { kind: "fallback", reason: `transport error ${code}` };
    }
    for (const m of mt.unpack(packet)) {
      const r = new TlReader(m.body);
      const ctor = r.uint();
      if (ctor === NEW_SESSION_CREATED) {
        r.long(); // first_msg_id
        r.long(); // unique_id
        mt.salt = r.long();
      } else if (ctor === BAD_SERVER_SALT || ctor === BAD_MSG_NOTIFICATION) {
        if (r.long() !== msgId) continue;
        r.int(); // bad_msg_seqno
        const code = r.int();
        if (ctor === BAD_SERVER_SALT) mt.salt = r.long();
        else if (code === 16 || code === 17) mt.syncClock(m.msgId);
        else return { kind: "fallback", reason: `bad_msg_notification ${code}` };
        // the ping was for the salt: known now
        return ping && ctor === BAD_SERVER_SALT ? "ok" : "resend";
      } else if (ping && ctor === PONG && r.long() === msgId) {
        return "ok";
      } else if (!ping && ctor === RPC_RESULT && r.long() === msgId) {
        return _result(unpackGzip(m.body.subarray(12)), dcId);
      }
      // msgs_ack, updates, rpc_results of nothing we asked: not the answer
    }
  }
}

function _result(result: Uint8Array, dcId: number): EarlyOutcome {
  const r = new TlReader(result);
  if (r.uint() === RPC_ERROR) {
    const code = r.int();
    const message = r.string();
    if (code === 401 && REVOKED.has(message)) return { kind: "dead", error: revokedError(message) };
    return { kind: "fallback", reason: `rpc_error ${code} ${message}` };
  }
  return { kind: "account", account: readSelfAccount(result, dcId) };
}

/** Deno.connect, given up when `signal` aborts first (a connection that opens later is closed). */
function _connect(session: EarlySession, signal?: AbortSignal): Promise<Deno.Conn> {
  const connecting = Deno.connect({ hostname: session.host, port: session.port });
  if (!signal) return connecting;
  return new Promise<Deno.Conn>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      connecting.then((c) => c.close(), () => {});
    };
    signal.addEventListener("abort", onAbort, { once: true });
    connecting.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function _frame(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + packet.length);
  new DataView(out.buffer).setUint32(0, packet.length, true);
  out.set(packet, 4);
  return out;
}

async function _write(conn: Deno.Conn, parts: Uint8Array[]): Promise<void> {
  const data = parts.length === 1 ? parts[0] : new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  if (parts.length > 1) {
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
  }
  for (let o = 0; o < data.length;) o += await conn.write(data.subarray(o));
}

/** Intermediate transport frames from a connection: a 4-byte length, then the packet. */
class _Frames {
  #buf = new Uint8Array(0);
  readonly #chunk = new Uint8Array(64 * 1024);

  constructor(readonly conn: Deno.Conn) {}

  async #fill(n: number): Promise<void> {
    while (this.#buf.length < n) {
      const got = await this.conn.read(this.#chunk);
      if (got === null) throw new Error("connection closed by the server");
      const b = new Uint8Array(this.#buf.length + got);
      b.set(this.#buf);
      b.set(this.#chunk.subarray(0, got), this.#buf.length);
      this.#buf = b;
    }
  }

  /** The next packet. */
  async next(): Promise<Uint8Array> {
    await this.#fill(4);
    const len = new DataView(this.#buf.buffer, this.#buf.byteOffset, 4).getInt32(0, true);
    if (len < 4 || len > 1 << 20) throw new Error(`bad frame length ${len}`);
    await this.#fill(4 + len);
    const packet = this.#buf.slice(4, 4 + len);
    this.#buf = this.#buf.subarray(4 + len);
    return packet;
  }
}
