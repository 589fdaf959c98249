/**
 * One client TCP connection to a fake DC: transport framing, auth-key exchange, decryption,
 * the MTProto checks Telegram makes (msg_id time, salt, session), service messages, and RPC
 * dispatch with transport-level faults.
 */
import zlib from "node:zlib";
import type { AuthRecord, DcSpec, FaultSpec, HandlerMap, Layer, RpcContext } from "../contract.ts";
import { authKeyIdHex, decryptMessage, toHex } from "./crypto.ts";
import { Handshake } from "./handshake.ts";
import { abortableSleep, type KeyRef, Outbox } from "./outbox.ts";
import type { RsaKey } from "./rsa.ts";
import { rpcResult, runRpc, unwrap } from "./rpc.ts";
import * as S from "./service.ts";
import type { DcState, ServerStats, SessionState } from "./session.ts";
import { DEFAULT_LAYER, layerFor, LayerReader } from "./tl.ts";
import { FrameCodec } from "./transport.ts";

/** Everything a connection shares with its DC and the cluster. */
export interface ConnEnv {
  dc: DcSpec;
  state: DcState;
  rsa: RsaKey;
  registry: Map<string, AuthRecord>;
  /** Layer each auth key asked for with invokeWithLayer (remembered across connections). */
  layers: Map<string, Layer>;
  handlers: HandlerMap;
  faults: FaultSpec;
  /** Seeded RNG for transport faults (drawn once per RPC, in arrival order). */
  rng: () => number;
  log: (line: string) => void;
  /** Log every RPC (off by default: logging costs more than serving a small call). */
  trace: boolean;
  unimplemented: Set<string>;
  stats: ServerStats;
}

interface Incoming {
  auth: AuthRecord;
  keyRef: KeyRef;
  session: SessionState;
}

/** Service messages: their seqno is not checked here (queries' is). */
const _SERVICE = new Set<number>(Object.values(S.SVC).filter((id) => id !== S.SVC.invokeWithLayer));

/** Serves one accepted socket until either side closes it. */
export class Connection {
  readonly #abort = new AbortController();
  readonly #codec = new FrameCodec();
  readonly #outbox: Outbox;
  readonly #inflight = new Set<Promise<void>>();
  #handshake?: Handshake;
  #pddTimer?: ReturnType<typeof setTimeout>;
  #closed = false;

  constructor(readonly conn: Deno.Conn, readonly id: number, readonly env: ConnEnv) {
    this.#outbox = new Outbox(this.#codec, env.state, (b) => this.#write(b), {
      bandwidthBps: env.faults.bandwidthBps,
      signal: this.#abort.signal,
      onError: () => this.close(),
      stats: env.stats,
    });
  }

  #log(line: string): void {
    this.env.log(`[dc${this.env.dc.id} c${this.id}] ${line}`);
  }

  async #write(bytes: Uint8Array): Promise<void> {
    for (let o = 0; o < bytes.length;) o += await this.conn.write(bytes.subarray(o));
  }

  /** Reads and serves until EOF or close(); resolves once every pending op has finished. */
  async run(): Promise<void> {
    const buf = new Uint8Array(256 * 1024);
    // The bandwidth cap holds both ways, like a real link: uploads are paced as they arrive.
    const bps = this.env.faults.bandwidthBps;
    let nextFree = 0;
    try {
      while (!this.#closed) {
        const n = await this.conn.read(buf);
        if (n === null) {
          if (this.env.trace) this.#log("EOF from the client");
          break;
        }
        if (bps > 0) {
          const now = performance.now();
          nextFree = Math.max(nextFree, now) + (n / bps) * 1000;
          const wait = nextFree - now - 20;
          if (wait > 0) await abortableSleep(wait, this.#abort.signal);
        }
        this.#codec.push(buf.subarray(0, n));
        for (let pkt = this.#codec.next(); pkt && !this.#closed; pkt = this.#codec.next()) {
          await this.#onPacket(pkt);
        }
      }
    } catch (e) {
      if (!this.#closed) this.#log(`closing: ${e instanceof Error ? e.message : e}`);
    } finally {
      this.close();
      await Promise.allSettled([...this.#inflight]);
      await this.#outbox.idle();
    }
  }

  /** Closes the socket and aborts handlers and timers of this connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    clearTimeout(this.#pddTimer);
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }

  async #onPacket(pkt: Uint8Array): Promise<void> {
    if (pkt.length < 8) throw new Error(`Packet of ${pkt.length} bytes`);
    const keyIdHex = toHex(pkt.subarray(0, 8));
    if (keyIdHex === "0000000000000000") return await this.#onPlain(pkt);
    const auth = this.env.registry.get(keyIdHex);
    if (!auth || auth.dcId !== this.env.dc.id) {
      // Telegram's answer to a key it does not know: transport error -404.
      this.#log(`unknown auth key ${keyIdHex}${auth ? ` (made on DC ${auth.dcId})` : ""} -> -404`);
      this.#outbox.sendRaw(new Uint8Array([0x6c, 0xfe, 0xff, 0xff]));
      // ...and then, as Telegram does, it hangs up
      await this.#outbox.idle();
      this.close();
      return;
    }
    // Padded intermediate appends 0..15 random bytes; MTProto ciphertext is 16-byte aligned.
    if (this.#codec.kind === "padded") pkt = pkt.subarray(0, 24 + ((pkt.length - 24) & ~15));
    const plain = decryptMessage(auth.key, pkt);
    if (!plain) throw new Error("Bad msg_key: dropping the connection as Telegram does");
    const dv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    const salt = dv.getBigInt64(0, true);
    const msgId = dv.getBigInt64(16, true);
    const seqno = dv.getInt32(24, true);
    const len = dv.getInt32(28, true);
    if (len < 4 || 32 + len > plain.length) throw new Error(`Bad message length ${len}`);
    // MTProto 2.0: 12..1024 bytes of padding; Telegram drops a message with less or more
    const pad = plain.length - 32 - len;
    if (pad < 12 || pad > 1024) {
      throw new Error(`Padding of ${pad} bytes: dropping the connection as Telegram does`);
    }
    const session = this.env.state.session(keyIdHex, plain.subarray(8, 16));
    const inc: Incoming = {
      auth,
      keyRef: { key: auth.key, keyId: pkt.subarray(0, 8).slice(), keyIdHex },
      session,
    };
    const bad = this.env.state.checkClientMsgId(msgId);
    if (bad) {
      this.env.stats.badMsgNotification++;
      this.#log(`bad_msg_notification ${bad} for msg_id ${msgId} (server clock says it is off)`);
      this.#send(inc, S.badMsgNotification(msgId, seqno, bad), { response: true, bare: true });
      return;
    }
    if (!this.env.state.saltValid(keyIdHex, salt)) {
      this.env.stats.badServerSalt++;
      this.#send(inc, S.badServerSalt(msgId, seqno, this.env.state.currentSalt(keyIdHex)), {
        response: true,
        bare: true,
      });
      return;
    }
    if (!session.announced) {
      session.announced = true;
      this.env.stats.newSessionCreated++;
      const unique = new DataView(crypto.getRandomValues(new Uint8Array(8)).buffer).getBigInt64(0, true);
      this.#send(inc, S.newSessionCreated(msgId, unique, this.env.state.currentSalt(keyIdHex)), {
        response: false,
        content: true,
      });
    }
    this.#dispatch(inc, plain.subarray(32, 32 + len), msgId, seqno);
  }

  #send(inc: Incoming, body: Uint8Array, o: { response: boolean; content?: boolean; bare?: boolean }): void {
    this.#outbox.send(inc.keyRef, inc.session, {
      body,
      response: o.response,
      contentRelated: o.content ?? false,
      bare: o.bare,
    });
  }

  #dispatch(inc: Incoming, body: Uint8Array, msgId: bigint, seqno: number): void {
    const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const ctor = dv.getUint32(0, true);
    if (ctor === S.SVC.container) {
      const count = dv.getInt32(4, true);
      // a message that closed the connection (a disconnect fault) ends the container too
      for (let i = 0, o = 8; i < count && !this.#closed; i++) {
        const id = dv.getBigInt64(o, true), seq = dv.getInt32(o + 8, true), len = dv.getInt32(o + 12, true);
        this.#dispatch(inc, body.subarray(o + 16, o + 16 + len), id, seq);
        o += 16 + len;
      }
      return;
    }
    if (ctor === S.SVC.gzip) {
      const packed = new LayerReader(body.subarray(4), DEFAULT_LAYER).tgReadBytes();
      return this.#dispatch(inc, zlib.gunzipSync(packed), msgId, seqno);
    }
    if (seqno & 1) this.#outbox.ack(inc.session, msgId);
    else if (!_SERVICE.has(ctor)) {
      // a query is content-related: Telegram wants an odd seqno (error 35) and does not run it
      this.env.stats.badMsgNotification++;
      this.#log(`bad_msg_notification 35 for msg_id ${msgId} (an even seqno on a query)`);
      this.#send(inc, S.badMsgNotification(msgId, seqno, 35), { response: true, bare: true });
      return;
    }
    switch (ctor) {
      case S.SVC.msgsAck:
      case S.SVC.msgResendReq:
      case S.SVC.httpWait:
        return;
      case S.SVC.ping:
      case S.SVC.pingDelayDisconnect: {
        if (ctor === S.SVC.pingDelayDisconnect) this.#armDisconnect(dv.getInt32(12, true));
        const answer = S.pong(msgId, dv.getBigInt64(4, true));
        this.#later(() => this.#send(inc, answer, { response: true, content: true }));
        return;
      }
      case S.SVC.getFutureSalts: {
        const salts = this.env.state.futureSalts(inc.keyRef.keyIdHex, dv.getInt32(4, true));
        const now = Math.floor(this.env.state.nowMs() / 1000);
        this.#send(inc, S.futureSalts(msgId, now, salts), { response: true, content: true });
        return;
      }
      case S.SVC.destroySession: {
        const sid = body.subarray(4, 12);
        this.env.state.dropSession(inc.keyRef.keyIdHex, sid);
        const id = new DataView(sid.buffer, sid.byteOffset, 8).getBigInt64(0, true);
        this.#send(inc, S.destroySessionOk(id), { response: true, content: true });
        return;
      }
      case S.SVC.msgsStateReq:
        this.#send(inc, S.msgsStateInfo(msgId, dv.getInt32(8, true)), { response: true, content: true });
        return;
    }
    this.#rpc(inc, body, msgId, ctor);
  }

  // ping_delay_disconnect: close the connection if no ping arrives within `delay` seconds.
  #armDisconnect(delay: number): void {
    clearTimeout(this.#pddTimer);
    if (delay > 0) {
      this.#pddTimer = setTimeout(() => {
        this.#log(`no ping for ${delay}s (ping_delay_disconnect): closing`);
        this.close();
      }, delay * 1000);
    }
  }

  // Runs `fn` after the configured RTT; tracked so that shutdown waits for it.
  #later(fn: () => void | Promise<void>): void {
    const p = (async () => {
      await abortableSleep(this.env.faults.rttMs, this.#abort.signal);
      if (!this.#closed) await fn();
    })();
    this.#track(p);
  }

  #track(p: Promise<void>): void {
    const t = p.catch((e) => this.#log(`!!! ${e instanceof Error ? e.stack : e}`)).finally(() =>
      this.#inflight.delete(t)
    );
    this.#inflight.add(t);
  }

  #rpc(inc: Incoming, body: Uint8Array, msgId: bigint, ctor: number): void {
    const keyIdHex = inc.keyRef.keyIdHex;
    if (ctor === S.SVC.invokeWithLayer) {
      this.env.layers.set(keyIdHex, layerFor(new DataView(body.buffer, body.byteOffset).getInt32(4, true)));
    }
    const L = this.env.layers.get(keyIdHex) ?? DEFAULT_LAYER;
    let obj;
    try {
      obj = new LayerReader(body, L).tgReadObject();
    } catch (e) {
      const what = `#${ctor.toString(16).padStart(8, "0")}`;
      this.env.unimplemented.add(what);
      this.#log(`!!! cannot parse request ${what} (layer ${L.layer}): ${e instanceof Error ? e.message : e}`);
      const err = new L.Api.RpcError({ errorCode: 400, errorMessage: "INPUT_METHOD_INVALID" }).getBytes();
      this.#send(inc, rpcResult(msgId, err), { response: true, content: true });
      return;
    }
    const u = unwrap(obj);
    const method: string = u.query?.className ?? "?";
    // Both draws happen for every RPC, in arrival order, so a seed always picks the same calls.
    const rDisconnect = this.env.rng(), rTimeout = this.env.rng();
    if (this.env.trace) {
      // what the request is about first (its id, history range or file), then what tests match on
      const q = u.query;
      const what = q?.location?.id ?? (q?.minId !== undefined ? `after ${q.minId}` : undefined);
      const about = `#${msgId}${what !== undefined ? ` [${what}]` : ""}`;
      this.#log(`${about} <- ${[...u.wrappers, method].join(" > ")} (layer ${L.layer})`);
    }
    if (rDisconnect < this.env.faults.disconnectP) {
      this.env.stats.faultDisconnects++;
      this.#log(`fault: disconnect instead of answering ${method}`);
      this.close();
      return;
    }
    if (rTimeout < this.env.faults.timeoutP) {
      this.env.stats.faultTimeouts++;
      this.#log(`fault: never answering ${method}`);
      return;
    }
    const ctx: RpcContext = {
      dcId: this.env.dc.id,
      L,
      auth: inc.auth,
      connId: this.id,
      takeoutId: u.takeoutId,
      method,
      signal: this.#abort.signal,
      push: (b) => {
        if (!this.#closed) this.#send(inc, b, { response: false, content: true });
      },
      noUpdates: u.wrappers.includes("InvokeWithoutUpdates") || undefined,
    };
    this.#track((async () => {
      const result = await runRpc(u.query, ctx, this.env);
      await abortableSleep(this.env.faults.rttMs, this.#abort.signal);
      if (this.env.trace) this.#log(`-> ${method} #${msgId}${this.#closed ? " (closed: dropped)" : ""}`);
      if (!this.#closed) this.#send(inc, rpcResult(msgId, result), { response: true, content: true });
    })());
  }

  async #onPlain(pkt: Uint8Array): Promise<void> {
    const len = new DataView(pkt.buffer, pkt.byteOffset).getInt32(16, true);
    this.#handshake ??= new Handshake(this.env.rsa, () => this.env.state.nowMs() / 1000, (l) => this.#log(l));
    const step = await this.#handshake.step(pkt.subarray(20, 20 + len));
    if (step.newKey) {
      const keyIdHex = authKeyIdHex(step.newKey);
      this.env.registry.set(keyIdHex, { keyIdHex, key: step.newKey, dcId: this.env.dc.id });
      this.env.stats.handshakes++;
      this.#log(`new auth key ${keyIdHex} (${step.newKey.length} bytes)`);
      this.#handshake = undefined;
    }
    await abortableSleep(this.env.faults.rttMs, this.#abort.signal);
    // Unencrypted message: auth_key_id 0, msg_id, length, body.
    const out = new Uint8Array(20 + step.reply.length);
    const dv = new DataView(out.buffer);
    dv.setBigInt64(8, this.env.state.newMsgId(true), true);
    dv.setInt32(16, step.reply.length, true);
    out.set(step.reply, 20);
    this.#outbox.sendRaw(out);
  }
}
