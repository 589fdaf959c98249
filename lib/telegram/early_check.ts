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
import { CheckSteps, closeQuietly } from "./early_steps.ts";
import { connectAbortable, frame, FrameReader, writeAll } from "./early_transport.ts";
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
  const step = new CheckSteps(opts.signal, opts.timeoutMs ?? 3000);
  try {
    const mt = new EarlyMtproto(session.authKey);
    const conn = await step.run(() => connectAbortable(session, step.signal));
    step.onAbort(() => closeQuietly(conn));
    const frames = new FrameReader(conn);
    await writeAll(conn, [INTERMEDIATE]);
    // a ping first: its answer (bad_server_salt, with salt 0) gives the salt, or -404 a dead key
    for (let sends = 0;; sends++) {
      if (sends === MAX_SENDS) return { kind: "fallback", reason: "no salt after resends" };
      const { msgId, packet } = mt.pack(
        new TlWriter().int(PING).raw(crypto.getRandomValues(new Uint8Array(8))).done(),
      );
      await writeAll(conn, [frame(packet)]);
      const answer = await step.run(() => _await(mt, frames, msgId, session.dcId, true));
      if (answer === "ok") break;
      if (answer !== "resend") return answer;
    }
    onReady();
    await step.hold(released, opts.holdMs ?? 60_000);
    const body = selfRequest(initParams(opts.apiId));
    for (let sends = 0; sends < MAX_SENDS; sends++) {
      const { msgId, packet } = mt.pack(body);
      await writeAll(conn, [frame(packet)]);
      const answer = await step.run(() => _await(mt, frames, msgId, session.dcId, false));
      if (answer !== "resend" && answer !== "ok") return answer;
    }
    return { kind: "fallback", reason: "no answer after resends" };
  } finally {
    step.end();
  }
}

/** Reads until the answer to `msgId` comes, or the server asks for the request again. */
async function _await(
  mt: EarlyMtproto,
  frames: FrameReader,
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
