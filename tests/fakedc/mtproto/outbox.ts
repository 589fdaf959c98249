/**
 * The send side of one connection: a single queue, so that msg_ids go out increasing and frames
 * never interleave; small messages and pending acks are packed into msg_container as Telegram
 * does; writes are paced by the per-connection bandwidth cap.
 */
import { encryptMessageAsync } from "./crypto_offload.ts";
import type { DcState, ServerStats, SessionState } from "./session.ts";
import type { FrameCodec } from "./transport.ts";

/** The auth key a message is encrypted with. */
export interface KeyRef {
  key: Uint8Array;
  keyId: Uint8Array;
  keyIdHex: string;
}

/** One message to send in a session. */
export interface OutMessage {
  body: Uint8Array;
  /** A response to a client message (msg_id 1 mod 4) rather than server-initiated (3 mod 4). */
  response: boolean;
  contentRelated: boolean;
  /** Never inside a container (bad_server_salt, bad_msg_notification: Telethon time-checks the rest). */
  bare?: boolean;
}

type Entry =
  | { kind: "raw"; payload: Uint8Array }
  | { kind: "enc"; auth: KeyRef; session: SessionState; msg: OutMessage };

// Messages above this size go alone; containers stay small like Telegram's.
const SMALL = 16 * 1024;
const CONTAINER_MAX = 256 * 1024;
// Bandwidth pacing granularity: a 1 MB frame is written in slices so the cap is smooth.
const SLICE = 64 * 1024;

/** Writes with pacing; resolves when the bytes are handed to the socket. */
export type Writer = (bytes: Uint8Array) => Promise<void>;

/** Send queue of one connection. */
export class Outbox {
  #queue: Entry[] = [];
  #running?: Promise<void>;
  #draining = false;
  #acks = new Map<SessionState, bigint[]>();
  #nextFree = 0;
  /** Bytes written to the socket so far (for tests and stats). */
  bytesOut = 0;

  constructor(
    readonly codec: FrameCodec,
    readonly dc: DcState,
    readonly write: Writer,
    readonly opts: {
      bandwidthBps: number;
      signal: AbortSignal;
      onError: (e: unknown) => void;
      stats: ServerStats;
    },
  ) {}

  /** Queues an unencrypted packet (handshake replies, transport errors). */
  sendRaw(payload: Uint8Array): void {
    this.#push({ kind: "raw", payload });
  }

  /** Queues an encrypted message. */
  send(auth: KeyRef, session: SessionState, msg: OutMessage): void {
    this.#push({ kind: "enc", auth, session, msg });
  }

  /** Remembers a content-related client message to acknowledge with the next small answer. */
  ack(session: SessionState, msgId: bigint): void {
    const list = this.#acks.get(session) ?? [];
    if (list.length < 8192) list.push(msgId);
    this.#acks.set(session, list);
  }

  #push(e: Entry): void {
    if (this.opts.signal.aborted) return;
    this.#queue.push(e);
    if (!this.#draining) {
      // The flag is cleared synchronously when the queue empties (a .finally() would leave a
      // window in which a pushed message finds "running" set and is never written).
      this.#draining = true;
      this.#running = this.#drain().catch((e) => {
        this.#draining = false;
        this.opts.onError(e);
      });
    }
  }

  /** Resolves when nothing is being written (used on shutdown so no socket op outlives close). */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  async #drain(): Promise<void> {
    while (true) {
      if (this.#queue.length === 0 || this.opts.signal.aborted) {
        this.#draining = false;
        return;
      }
      const e = this.#queue.shift()!;
      if (e.kind === "raw") {
        await this.#writeFrame(this.codec.encode(e.payload));
        continue;
      }
      const batch: OutMessage[] = [e.msg];
      if (!e.msg.bare && e.msg.body.length <= SMALL) {
        let size = e.msg.body.length;
        while (this.#queue.length > 0 && batch.length < 100) {
          const n = this.#queue[0];
          if (n.kind !== "enc" || n.session !== e.session || n.msg.bare || n.msg.body.length > SMALL) break;
          if (size + n.msg.body.length > CONTAINER_MAX) break;
          size += n.msg.body.length;
          batch.push(n.msg);
          this.#queue.shift();
        }
        const acks = this.#acks.get(e.session);
        if (acks?.length) {
          this.#acks.delete(e.session);
          batch.unshift({ body: _msgsAck(acks), response: true, contentRelated: false });
        }
      }
      await this.#writeFrame(this.codec.encode(await this.#encrypt(e.auth, e.session, batch)));
    }
  }

  #encrypt(auth: KeyRef, session: SessionState, batch: OutMessage[]): Uint8Array | Promise<Uint8Array> {
    const seq = (
      m: OutMessage,
    ) => (m.contentRelated ? session.contentSent++ * 2 + 1 : session.contentSent * 2);
    let msgId: bigint, seqno: number, body: Uint8Array;
    if (batch.length === 1) {
      msgId = this.dc.newMsgId(batch[0].response);
      seqno = seq(batch[0]);
      body = batch[0].body;
    } else {
      // msg_container#73f1f8dc messages:vector<%Message>; inner ids first, container id last.
      const total = batch.reduce((n, m) => n + 16 + m.body.length, 8);
      body = new Uint8Array(total);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, 0x73f1f8dc, true);
      dv.setInt32(4, batch.length, true);
      let o = 8;
      for (const m of batch) {
        dv.setBigInt64(o, this.dc.newMsgId(m.response), true);
        dv.setInt32(o + 8, seq(m), true);
        dv.setInt32(o + 12, m.body.length, true);
        body.set(m.body, o + 16);
        o += 16 + m.body.length;
      }
      msgId = this.dc.newMsgId(false);
      this.opts.stats.containersOut++;
      seqno = session.contentSent * 2;
    }
    const plain = new Uint8Array(32 + body.length);
    const dv = new DataView(plain.buffer);
    dv.setBigInt64(0, this.dc.currentSalt(auth.keyIdHex), true);
    plain.set(session.sessionId, 8);
    dv.setBigInt64(16, msgId, true);
    dv.setInt32(24, seqno, true);
    dv.setInt32(28, body.length, true);
    plain.set(body, 32);
    return encryptMessageAsync(auth.key, auth.keyId, plain);
  }

  async #writeFrame(frame: Uint8Array): Promise<void> {
    const bps = this.opts.bandwidthBps;
    for (let o = 0; o < frame.length; o += SLICE) {
      if (this.opts.signal.aborted) return;
      const slice = frame.subarray(o, Math.min(frame.length, o + SLICE));
      if (bps > 0) {
        // Token bucket with a small burst: wait until the previous bytes have "drained".
        const now = performance.now();
        this.#nextFree = Math.max(this.#nextFree, now) + (slice.length / bps) * 1000;
        const wait = this.#nextFree - now - 20;
        if (wait > 0) await abortableSleep(wait, this.opts.signal);
      }
      await this.write(slice);
      this.bytesOut += slice.length;
    }
  }
}

function _msgsAck(ids: bigint[]): Uint8Array {
  // msgs_ack#62d6b459 msg_ids:Vector<long>
  const b = new Uint8Array(12 + ids.length * 8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x62d6b459, true);
  dv.setUint32(4, 0x1cb5c415, true);
  dv.setInt32(8, ids.length, true);
  ids.forEach((id, i) => dv.setBigInt64(12 + i * 8, id, true));
  return b;
}

/** Sleeps `ms`, resolving early (without throwing) when the signal aborts; never leaks a timer. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
