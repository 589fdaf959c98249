/**
 * One MTProto 2.0 session on an existing auth key, for the early session check: msg_ids from the
 * (corrected) clock, seqnos, the server salt, encrypting outgoing messages and unpacking what the
 * server sends (its session_id checked, containers and gzip_packed opened).
 */
import { gunzip } from "@mtcute/wasm";
import { authKeyId, decryptServerMessage, EarlyCryptoError, encryptClientMessage } from "./early_crypto.ts";
import { GZIP_PACKED, MSG_CONTAINER } from "./early_schema.ts";
import { TlReader, TlWriter } from "./early_tl.ts";

/** One message the server sent: its msg_id and body (containers and gzip already opened). */
export interface ServerMessage {
  msgId: bigint;
  body: Uint8Array;
}

/** The client side of one session: see the module comment. `authKey` is a secret. */
export class EarlyMtproto {
  readonly keyId: Uint8Array;
  readonly sessionId = crypto.getRandomValues(new Uint8Array(8));
  /** The server salt: 0 until the server names one (bad_server_salt, new_session_created). */
  salt = 0n;
  /** Seconds to add to the local clock for msg_ids (set from a server msg_id after error 16/17). */
  offsetS = 0;
  #lastMsgId = 0n;
  #contentSent = 0;

  constructor(readonly authKey: Uint8Array, readonly now: () => number = Date.now) {
    this.keyId = authKeyId(authKey);
  }

  /** A new msg_id: the time in seconds << 32, divisible by 4, above every earlier one. */
  newMsgId(): bigint {
    const ms = this.now() + this.offsetS * 1000;
    const s = Math.floor(ms / 1000);
    let id = (BigInt(s) << 32n) | (BigInt(Math.floor((ms - s * 1000) * 4294967)) & 0xfffffffcn);
    if (id <= this.#lastMsgId) id = this.#lastMsgId + 4n;
    this.#lastMsgId = id;
    return id;
  }

  /** Sets the clock offset from a server msg_id (its high 32 bits are the server's time). */
  syncClock(serverMsgId: bigint): void {
    this.offsetS = Number(serverMsgId >> 32n) - Math.floor(this.now() / 1000);
    // the refused ids counted for nothing: the next ones follow the server's clock (as GramJS does)
    this.#lastMsgId = 0n;
  }

  /** Encrypts `body` as a new content-related message; returns its msg_id and the packet. */
  pack(body: Uint8Array): { msgId: bigint; packet: Uint8Array } {
    const msgId = this.newMsgId();
    const seqno = this.#contentSent++ * 2 + 1;
    const plain = new TlWriter().long(this.salt).raw(this.sessionId).long(msgId).int(seqno).int(body.length)
      .raw(body).done();
    return { msgId, packet: encryptClientMessage(this.authKey, this.keyId, plain) };
  }

  /**
   * The messages of one server packet. EarlyCryptoError when it is not this key's or session's;
   * EarlyTlError when a container or gzip_packed inside cannot be read.
   */
  unpack(packet: Uint8Array): ServerMessage[] {
    const plain = decryptServerMessage(this.authKey, this.keyId, packet);
    const r = new TlReader(plain, 8);
    for (let i = 0; i < 8; i++) {
      if (plain[8 + i] !== this.sessionId[i]) throw new EarlyCryptoError("another session_id");
    }
    r.o = 16;
    const msgId = r.long();
    r.int(); // seqno
    const len = r.int();
    // MTProto 2.0: 12..1024 bytes of padding after the message
    const pad = plain.length - 32 - len;
    if (len < 4 || pad < 12 || pad > 1024) throw new EarlyCryptoError("bad message length");
    const out: ServerMessage[] = [];
    _open(msgId, plain.subarray(32, 32 + len), out);
    return out;
  }
}

function _open(msgId: bigint, body: Uint8Array, out: ServerMessage[]): void {
  const r = new TlReader(body);
  const ctor = r.uint();
  if (ctor === MSG_CONTAINER) {
    const n = r.int();
    for (let i = 0; i < n; i++) {
      const id = r.long();
      r.int(); // seqno
      const len = r.int();
      const start = r.o;
      if (len < 0 || start + len > body.length) throw new EarlyCryptoError("bad container");
      r.o += len;
      _open(id, body.subarray(start, start + len), out);
    }
    return;
  }
  if (ctor === GZIP_PACKED) return _open(msgId, gunzip(r.bytes()), out);
  out.push({ msgId, body });
}

/** The body with gzip_packed opened, as an rpc_result's result may come. */
export function unpackGzip(body: Uint8Array): Uint8Array {
  const r = new TlReader(body);
  return r.uint() === GZIP_PACKED ? gunzip(r.bytes()) : body;
}
