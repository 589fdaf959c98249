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
  RPC_ERROR,
  RPC_RESULT,
} from "./early_schema.ts";
import type { EarlySession } from "./early_session.ts";
import { TlReader } from "./early_tl.ts";
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
}

/**
 * A running check: `sent` settles once the request is written with the server's salt (the one the
 * server runs), or the check ended before.
 */
export interface EarlyCheck {
  sent: Promise<void>;
  outcome: Promise<EarlyOutcome>;
}

/** Sends before giving up: bad_server_salt and a clock fix each cost one more. */
const MAX_SENDS = 4;
/** The intermediate transport's tag (the transport fast_connection.ts speaks too). */
const INTERMEDIATE = new Uint8Array([0xee, 0xee, 0xee, 0xee]);

/** Starts the check; never rejects (every failure is a fallback outcome). */
export function earlyCheck(opts: EarlyCheckOptions): EarlyCheck {
  let onSent!: () => void;
  const sent = new Promise<void>((r) => (onSent = r));
  const outcome = _run(opts, onSent).catch((err): EarlyOutcome => ({
    kind: "fallback",
    reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  })).finally(onSent);
  return { sent, outcome };
}

async function _run(opts: EarlyCheckOptions, onSent: () => void): Promise<EarlyOutcome> {
  const { session, signal } = opts;
  signal?.throwIfAborted();
  const mt = new EarlyMtproto(session.authKey);
  const conn = await _connect(session, signal);
  const close = () => {
    try {
      conn.close();
    } catch { /* closed already */ }
  };
  signal?.addEventListener("abort", close, { once: true });
  try {
    signal?.throwIfAborted();
    const frames = new _Frames(conn);
    const body = selfRequest(initParams(opts.apiId));
    let first = true;
    for (let sends = 0; sends < MAX_SENDS; sends++) {
      const { msgId, packet } = mt.pack(body);
      const salted = mt.salt !== 0n;
      await _write(conn, first ? [INTERMEDIATE, _frame(packet)] : [_frame(packet)]);
      first = false;
      // sent for real only with the server's salt: the first try, with salt 0, is always refused
      // (bad_server_salt), and its answer must not wait behind GramJS's load on the main thread
      if (salted) onSent();
      const answer = await _await(mt, frames, msgId, session.dcId);
      if (answer !== "resend") return answer;
    }
    return { kind: "fallback", reason: "no answer after resends" };
  } finally {
    signal?.removeEventListener("abort", close);
    close();
  }
}

/** Reads until the answer to `msgId` comes, or the server asks for the request again. */
async function _await(
  mt: EarlyMtproto,
  frames: _Frames,
  msgId: bigint,
  dcId: number,
): Promise<EarlyOutcome | "resend"> {
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
        return "resend";
      } else if (ctor === RPC_RESULT && r.long() === msgId) {
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
