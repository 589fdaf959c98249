/**
 * MTProto TCP transports, server side: full, intermediate, padded intermediate and abridged,
 * each optionally obfuscated (AES-256-CTR over the stream). The first bytes a client sends
 * select the transport, as on Telegram's servers.
 */
import nodeCrypto from "node:crypto";
import zlib from "node:zlib";

/** Transport framing chosen by the client. */
export type TransportKind = "full" | "intermediate" | "padded" | "abridged";

const TAGS: Record<number, TransportKind> = {
  0xefefefef: "abridged",
  0xeeeeeeee: "intermediate",
  0xdddddddd: "padded",
};

/** Thrown for a malformed stream; the server closes the connection, as Telegram does. */
export class TransportError extends Error {}

/** Incremental decoder and encoder of one connection's frames. */
export class FrameCodec {
  kind?: TransportKind;
  obfuscated = false;
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  #sendSeq = 0;
  #recvSeq = 0;
  #dec?: nodeCrypto.Decipheriv;
  #enc?: nodeCrypto.Cipheriv;

  /** Appends received bytes (decrypting them when the stream is obfuscated). */
  push(chunk: Uint8Array): void {
    if (this.#dec) chunk = this.#dec.update(chunk);
    const need = this.#end - this.#start + chunk.length;
    if (this.#end + chunk.length > this.#buf.length) {
      // Compact, and grow geometrically so that a 1 MB upload part is copied O(1) times.
      const next = need > this.#buf.length ? new Uint8Array(Math.max(need, this.#buf.length * 2)) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  get #avail(): number {
    return this.#end - this.#start;
  }

  #take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  #u32(at: number): number {
    const b = this.#buf, i = this.#start + at;
    return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  }

  // Reads the transport prelude; returns false when more bytes are needed.
  #detect(): boolean {
    if (this.#avail < 1) return false;
    if (this.#buf[this.#start] === 0xef) {
      this.#start += 1;
      this.kind = "abridged";
      return true;
    }
    if (this.#avail < 8) return false;
    const tag = TAGS[this.#u32(0)];
    if (tag) {
      this.#start += 4;
      this.kind = tag;
      return true;
    }
    if (this.#u32(4) === 0) {
      this.kind = "full"; // full transport: the first frame's seq_no is 0
      return true;
    }
    if (this.#avail < 64) return false;
    const header = this.#take(64);
    const rev = header.slice(8, 56).reverse();
    this.#dec = nodeCrypto.createDecipheriv("aes-256-ctr", header.subarray(8, 40), header.subarray(40, 56));
    this.#enc = nodeCrypto.createCipheriv("aes-256-ctr", rev.subarray(0, 32), rev.subarray(32, 48));
    const plainHeader = this.#dec.update(header);
    const t = new DataView(plainHeader.buffer, plainHeader.byteOffset).getUint32(56, true);
    const kind = TAGS[t];
    if (!kind) throw new TransportError(`Unknown obfuscated transport tag ${t.toString(16)}`);
    this.kind = kind;
    this.obfuscated = true;
    // Bytes after the header arrived encrypted: decrypt them in place now.
    const rest = this.#dec.update(this.#buf.subarray(this.#start, this.#end));
    this.#buf.set(rest, this.#start);
    return true;
  }

  /** The next complete MTProto packet, or null when more bytes are needed. */
  next(): Uint8Array | null {
    if (!this.kind && !this.#detect()) return null;
    switch (this.kind) {
      case "full": {
        if (this.#avail < 4) return null;
        const len = this.#u32(0);
        if (len < 12 || len > 16 * 1024 * 1024) throw new TransportError(`Bad full-transport length ${len}`);
        if (this.#avail < len) return null;
        const whole = this.#take(len);
        const dv = new DataView(whole.buffer);
        if (zlib.crc32(whole.subarray(0, len - 4)) !== dv.getUint32(len - 4, true)) {
          throw new TransportError("Bad CRC32 in full transport");
        }
        const seq = dv.getInt32(4, true);
        if (seq !== this.#recvSeq++) {
          throw new TransportError(`Full transport seq ${seq}, expected ${this.#recvSeq - 1}`);
        }
        return whole.subarray(8, len - 4);
      }
      case "intermediate":
      case "padded": {
        if (this.#avail < 4) return null;
        const len = this.#u32(0) & 0x7fffffff; // high bit = quick ack request
        if (this.#avail < 4 + len) return null;
        this.#start += 4;
        return this.#take(len);
      }
      case "abridged": {
        if (this.#avail < 1) return null;
        let words = this.#buf[this.#start] & 0x7f, off = 1;
        if (words === 0x7f) {
          if (this.#avail < 4) return null;
          words = this.#u32(0) >>> 8;
          off = 4;
        }
        if (this.#avail < off + words * 4) return null;
        this.#start += off;
        return this.#take(words * 4);
      }
    }
    return null;
  }

  /** Frames one packet for sending (and encrypts it when obfuscated). */
  encode(payload: Uint8Array): Uint8Array {
    let out: Uint8Array;
    const n = payload.length;
    if (this.kind === "full") {
      out = new Uint8Array(n + 12);
      const dv = new DataView(out.buffer);
      dv.setInt32(0, n + 12, true);
      dv.setInt32(4, this.#sendSeq++, true);
      out.set(payload, 8);
      dv.setUint32(n + 8, zlib.crc32(out.subarray(0, n + 8)), true);
    } else if (this.kind === "abridged") {
      const words = n >> 2;
      const head = words < 0x7f ? [words] : [0x7f, words & 0xff, (words >> 8) & 0xff, (words >> 16) & 0xff];
      out = new Uint8Array(head.length + n);
      out.set(head);
      out.set(payload, head.length);
    } else {
      const pad = this.kind === "padded" ? Math.floor(Math.random() * 4) * 4 : 0;
      out = new Uint8Array(4 + n + pad);
      new DataView(out.buffer).setInt32(0, n + pad, true);
      out.set(payload, 4);
    }
    return this.#enc ? this.#enc.update(out) : out;
  }
}
