/**
 * MTProto's intermediate TCP transport for the early session check (early_check.ts), on Deno's own
 * sockets (fast_connection.ts is GramJS's): a connection that a stop gives up while it opens, and
 * frames of a 4-byte length and the packet.
 */
import type { EarlySession } from "./early_session.ts";
import { concatBytes } from "../core/concat_bytes.ts";

/** Deno.connect, given up when `signal` aborts first (a connection that opens later is closed). */
export function connectAbortable(session: EarlySession, signal?: AbortSignal): Promise<Deno.Conn> {
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

/** An intermediate transport frame: the 4-byte length, then the packet. */
export function frame(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + packet.length);
  new DataView(out.buffer).setUint32(0, packet.length, true);
  out.set(packet, 4);
  return out;
}

/** Writes `parts` as one write (a frame and its transport tag go out together). */
export async function writeAll(conn: Deno.Conn, parts: Uint8Array[]): Promise<void> {
  const data = parts.length === 1 ? parts[0] : concatBytes(parts);
  for (let o = 0; o < data.length;) o += await conn.write(data.subarray(o));
}

/** Intermediate transport frames from a connection: a 4-byte length, then the packet. */
export class FrameReader {
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
