/**
 * MTProto's intermediate TCP transport (4-byte length, then the packet) as a GramJS Connection.
 * GramJS's default, TCPFull, adds a CRC32 computed in JavaScript over every packet and a
 * Buffer.concat to check it: profiled on a download, that was about a sixth of the client's CPU,
 * for a check TCP and MTProto's msg_key (a SHA-256 of the plaintext) already make. Telegram
 * serves intermediate on every DC; Telegram Desktop uses it too. Through an MTProxy the stream is
 * obfuscated (obfuscated2.ts), and a dd or ee secret asks for padded intermediate: random
 * padding hides the packet sizes.
 */
import { Buffer } from "node:buffer";
// "telegram" first: loading Connection.js on its own runs into GramJS's circular requires
import "telegram";
import { Connection, PacketCodec } from "telegram/network/connection/Connection.js";
import { FastSocket } from "./fast_socket.ts";

interface _Reader {
  readExactly(n: number): Promise<Buffer>;
}

// GramJS's reader objects (FastSocket here) are typed loosely; only readExactly is used.
class _IntermediateCodec extends PacketCodec {
  static tag = Buffer.from([0xee, 0xee, 0xee, 0xee]);
  static obfuscateTag = Buffer.from([0xee, 0xee, 0xee, 0xee]);
  tag = _IntermediateCodec.tag;

  override encodePacket(data: Buffer): Buffer {
    const pad = this.padding();
    const out = Buffer.allocUnsafe(4 + data.length + pad);
    out.writeInt32LE(data.length + pad, 0);
    out.set(data, 4);
    if (pad) crypto.getRandomValues(out.subarray(4 + data.length));
    return out;
  }

  /** Random bytes to append to a packet (none here). */
  padding(): number {
    return 0;
  }

  /** The MTProto packet inside a received frame (all of it here). */
  unpad(frame: Buffer): Buffer {
    return frame;
  }

  override async readPacket(reader: unknown): Promise<Buffer> {
    const r = reader as _Reader;
    const len = (await r.readExactly(4)).readInt32LE(0);
    if (len < 0 || len > 64 << 20) throw new Error(`Bad packet length ${len}`);
    const packet = this.unpad(await r.readExactly(len));
    // a 4-byte packet is a transport error (-404 ...): GramJS's decrypt step turns it into
    // InvalidBufferError and reacts (reconnect; on -404 its main connection just stops reading)
    if (packet.length === 4) {
      (this as unknown as { _conn: FastConnection })._conn.onTransportError(packet.readInt32LE(0));
    }
    return packet;
  }
}

/** Padded intermediate (tag 0xdddddddd): 0..15 random bytes after each packet. */
class _PaddedCodec extends _IntermediateCodec {
  static override tag = Buffer.from([0xdd, 0xdd, 0xdd, 0xdd]);
  static override obfuscateTag = Buffer.from([0xdd, 0xdd, 0xdd, 0xdd]);
  override tag = _PaddedCodec.tag;

  override padding(): number {
    return crypto.getRandomValues(new Uint8Array(1))[0] & 15;
  }

  // The frame does not say how much padding it has; the packet does: an encrypted one is
  // 24 bytes + whole AES blocks, a plain one gives its length, a transport error is 4 bytes.
  override unpad(frame: Buffer): Buffer {
    if (frame.length < 24) return frame.subarray(0, 4);
    if (frame.readBigUInt64LE(0) !== 0n) return frame.subarray(0, 24 + ((frame.length - 24) & ~15));
    return frame.subarray(0, 20 + Math.min(frame.readInt32LE(16), frame.length - 20));
  }
}

/** GramJS Connection over the intermediate transport and {@link FastSocket} (see module comment). */
export class FastConnection extends Connection {
  // deno-lint-ignore no-explicit-any
  override PacketCodecClass = _IntermediateCodec as any;

  constructor(opts: ConstructorParameters<typeof Connection>[0]) {
    super({ ...opts, socket: FastSocket as unknown as typeof opts.socket });
    const proxy = opts.proxy as { kind?: string; padded?: boolean } | undefined;
    // deno-lint-ignore no-explicit-any
    if (proxy?.kind === "mtproxy" && proxy.padded) this.PacketCodecClass = _PaddedCodec as any;
  }

  /** Starts the transport: its tag in the clear, or inside the obfuscated2 header to an MTProxy. */
  override _initConn(): Promise<void> {
    const socket = this.socket as unknown as FastSocket;
    if (!socket.mtproxy) return super._initConn();
    return socket.obfuscate(this.dcId, (this.PacketCodecClass as typeof _IntermediateCodec).obfuscateTag);
  }

  /**
   * Writes the packet at once instead of through GramJS's one-slot queue and its send loop: when
   * the socket closed under that loop (a dropped connection, before the receive side noticed), the
   * loop ended while the connection still counted as connected, and the next send waited forever
   * for a slot. MTProtoSender's own send loop was then stuck on it, so after its reconnect nothing
   * was ever sent on the new connection either (an export hung ~2 minutes in `bench faults`, every
   * request resent into the void). A closed socket now throws here, and the sender reconnects.
   */
  override async send(data: Buffer): Promise<void> {
    if (!(this as unknown as { _connected: boolean })._connected) throw new Error("Not connected");
    await this._send(data);
  }

  /** No queue to drain (see send). */
  override _sendLoop(): Promise<void> {
    return Promise.resolve();
  }

  /** The DC this connection talks to. */
  get dcId(): number {
    return (this as unknown as { _dcId: number })._dcId;
  }

  /** Called with a transport error's code (-404: unknown auth key); client.ts overrides it. */
  onTransportError(_code: number): void {}
}
