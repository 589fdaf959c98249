/**
 * MTProto's intermediate TCP transport (4-byte length, then the packet) as a GramJS Connection.
 * GramJS's default, TCPFull, adds a CRC32 computed in JavaScript over every packet and a
 * Buffer.concat to check it: profiled on a download, that was about a sixth of the client's CPU,
 * for a check TCP and MTProto's msg_key (a SHA-256 of the plaintext) already make. Telegram
 * serves intermediate on every DC; Telegram Desktop uses it too.
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
    const out = Buffer.allocUnsafe(4 + data.length);
    out.writeInt32LE(data.length, 0);
    out.set(data, 4);
    return out;
  }

  override async readPacket(reader: unknown): Promise<Buffer> {
    const r = reader as _Reader;
    const len = (await r.readExactly(4)).readInt32LE(0);
    if (len < 0 || len > 64 << 20) throw new Error(`Bad packet length ${len}`);
    const packet = await r.readExactly(len);
    // a 4-byte packet is a transport error (-404 ...): GramJS's decrypt step turns it into
    // InvalidBufferError and reacts (reconnect; on -404 its main connection just stops reading)
    if (len === 4) {
      (this as unknown as { _conn: FastConnection })._conn.onTransportError(packet.readInt32LE(0));
    }
    return packet;
  }
}

/** GramJS Connection over the intermediate transport and {@link FastSocket} (see module comment). */
export class FastConnection extends Connection {
  // deno-lint-ignore no-explicit-any
  override PacketCodecClass = _IntermediateCodec as any;

  constructor(opts: ConstructorParameters<typeof Connection>[0]) {
    super({ ...opts, socket: FastSocket as unknown as typeof opts.socket });
  }

  /** The DC this connection talks to. */
  get dcId(): number {
    return (this as unknown as { _dcId: number })._dcId;
  }

  /** Called with a transport error's code (-404: unknown auth key); client.ts overrides it. */
  onTransportError(_code: number): void {}
}
