/**
 * Per-DC MTProto bookkeeping: the server clock (which tests may skew), server msg_ids, rotating
 * server salts and the sessions each auth key has opened.
 */
import { concat, sha256 } from "./crypto.ts";

/** Client msg_ids older than this (s) are "too low" (error 16), as on Telegram. */
export const MSG_TOO_OLD_S = 300;
/** Client msg_ids further ahead than this (s) are "too high" (error 17). */
export const MSG_TOO_NEW_S = 30;

/** Counters tests assert on (shared by every DC of a cluster). */
export interface ServerStats {
  rpcs: number;
  badServerSalt: number;
  badMsgNotification: number;
  newSessionCreated: number;
  containersOut: number;
  gzipOut: number;
  faultDisconnects: number;
  faultTimeouts: number;
  /** RPC faults (handlers/rpc_faults.ts): random FLOOD_WAITs, held upload.getFile answers, FILE_MIGRATEs. */
  faultFloods: number;
  faultStalls: number;
  faultMigrates: number;
  handshakes: number;
  /** TCP connections accepted, by every DC of the cluster. */
  connections: number;
  /** upload.getFile calls answered with bytes, and the file bytes they carried. */
  getFileCalls: number;
  getFileBytes: number;
}

/** Zeroed counters. */
export function newStats(): ServerStats {
  return {
    rpcs: 0,
    badServerSalt: 0,
    badMsgNotification: 0,
    newSessionCreated: 0,
    containersOut: 0,
    gzipOut: 0,
    faultDisconnects: 0,
    faultTimeouts: 0,
    faultFloods: 0,
    faultStalls: 0,
    faultMigrates: 0,
    handshakes: 0,
    connections: 0,
    getFileCalls: 0,
    getFileBytes: 0,
  };
}

/** Outgoing seqno state of one MTProto session (auth key + client session id). */
export interface SessionState {
  sessionId: Uint8Array;
  /** Content-related messages sent so far (seqno = 2n+1 for the next one). */
  contentSent: number;
  /** Whether new_session_created went out (sent with the first message that passes the checks). */
  announced: boolean;
}

/** Clock, msg_id generator, salts and sessions of one DC. */
export class DcState {
  #lastMsgId = 0n;
  #sessions = new Map<string, SessionState>();
  #secret = crypto.getRandomValues(new Uint8Array(32));

  /**
   * @param clockOffsetMs added to the wall clock: a server "in the future" makes every client
   *   look skewed, which is how tests exercise bad_msg_notification and time correction.
   * @param saltPeriodS how long one server salt is current; the previous one stays accepted.
   * @param clock the wall clock (ms); tests that move time by hand pass their own.
   */
  constructor(
    readonly clockOffsetMs = 0,
    readonly saltPeriodS = 1800,
    readonly clock: () => number = Date.now,
  ) {}

  /** Server time in ms. */
  nowMs(): number {
    return this.clock() + this.clockOffsetMs;
  }

  /** A new server msg_id: time-based, strictly increasing, 1 mod 4 for responses, 3 otherwise. */
  newMsgId(response: boolean): bigint {
    const now = BigInt(Math.floor(this.nowMs()));
    let id = ((now / 1000n) << 32n) | (((now % 1000n) * 4294967n) & 0xfffffffcn);
    if (id <= this.#lastMsgId) id = (this.#lastMsgId + 4n) & ~3n;
    id |= response ? 1n : 3n;
    this.#lastMsgId = id;
    return id;
  }

  /** Checks a client msg_id against the server clock: 0 if fine, else the bad_msg error code. */
  checkClientMsgId(msgId: bigint): number {
    if ((msgId & 3n) !== 0n) return 18;
    const t = Number(msgId >> 32n);
    const now = this.nowMs() / 1000;
    if (t < now - MSG_TOO_OLD_S) return 16;
    if (t > now + MSG_TOO_NEW_S) return 17;
    return 0;
  }

  /** The salt of a given period for an auth key (deterministic, so nothing needs storing). */
  saltAt(keyIdHex: string, period: number): bigint {
    const h = sha256(concat(this.#secret, new TextEncoder().encode(`${keyIdHex}:${period}`)));
    return new DataView(h.buffer, h.byteOffset, 8).getBigInt64(0, true);
  }

  /** Index of the current salt period. */
  period(): number {
    return Math.floor(this.nowMs() / 1000 / this.saltPeriodS);
  }

  /** The current salt for a key. */
  currentSalt(keyIdHex: string): bigint {
    return this.saltAt(keyIdHex, this.period());
  }

  /** Whether a client may use this salt now (current or previous period, as Telegram allows overlap). */
  saltValid(keyIdHex: string, salt: bigint): boolean {
    const p = this.period();
    return salt === this.saltAt(keyIdHex, p) || salt === this.saltAt(keyIdHex, p - 1);
  }

  /** Future salts for get_future_salts: [validSince, validUntil, salt] per period. */
  futureSalts(keyIdHex: string, num: number): Array<[number, number, bigint]> {
    const p = this.period();
    const out: Array<[number, number, bigint]> = [];
    for (let i = 0; i < Math.min(Math.max(num, 1), 64); i++) {
      const since = (p + i) * this.saltPeriodS;
      out.push([since, since + this.saltPeriodS * 2, this.saltAt(keyIdHex, p + i)]);
    }
    return out;
  }

  /** The session for (key, session id), created on first sight. */
  session(keyIdHex: string, sessionId: Uint8Array): SessionState {
    const k = keyIdHex + ":" + Array.from(sessionId).join(",");
    let state = this.#sessions.get(k);
    if (!state) {
      state = { sessionId: sessionId.slice(), contentSent: 0, announced: false };
      this.#sessions.set(k, state);
    }
    return state;
  }

  /** Forgets a session (destroy_session). */
  dropSession(keyIdHex: string, sessionId: Uint8Array): boolean {
    return this.#sessions.delete(keyIdHex + ":" + Array.from(sessionId).join(","));
  }
}
