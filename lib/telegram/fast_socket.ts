/**
 * GramJS's socket (PromisedNetSockets), rewritten for throughput. The original appends every
 * incoming chunk to one Buffer with Buffer.concat under a mutex shared by all sockets, and
 * readExactly concatenates again per chunk: a 1 MB file part was copied about 20 times, and the
 * socket read without back-pressure, so a busy client piled megabytes up in memory. This one
 * pulls from a Deno TCP connection only when GramJS asks for bytes (TCP back-pressure), reads
 * big packets straight into their final buffer and copies small reads once. Through an MTProxy
 * it also carries the obfuscated2 stream cipher (started by the connection, which knows the DC),
 * inside TLS records for a fake-TLS (ee) secret.
 */
import { Buffer } from "node:buffer";
import { takePacketBuffer } from "./packet_buffers.ts";
import { type ProxyConfig, ProxyError } from "../core/proxy.ts";
import { clientHello, readServerHello, wrapRecords } from "./fake_tls.ts";
import { obfuscated2, type Obfuscation } from "./obfuscated2.ts";
import { HANDSHAKE_MS, openProxyTunnel } from "./proxy_tunnel.ts";

const SCRATCH = 64 * 1024;
const CLOSED = "NetSocket was closed";

/** A proxy as the client hands it to its sockets: told when a tunnel cannot be opened. */
export type SocketProxy = ProxyConfig & { onFail?: (err: Error) => void };

/** A drop-in for GramJS's PromisedNetSockets; with a proxy, connections go through its tunnel. */
export class FastSocket {
  /** Read by GramJS to tell whether the socket is usable. */
  closed = true;
  #conn?: Deno.TcpConn;
  #scratch = new Uint8Array(SCRATCH);
  /** Bytes read from the socket that nobody asked for yet (a view into #scratch). */
  #pending = new Uint8Array(0);
  #writing: Promise<void> = Promise.resolve();

  #proxy: SocketProxy | undefined;
  /** The MTProxy stream cipher, once {@link obfuscate} ran. */
  #obf?: Obfuscation;
  #dcId = 0;
  /** Bytes received on this connection: an MTProxy that hangs up before any is refusing us. */
  #received = 0;
  /** Ends an MTProxy connection that never answers (a proxy that swallows what it cannot read). */
  #answerTimer?: ReturnType<typeof setTimeout>;
  /** Fake-TLS: the stream travels in records; bytes left in the current one; first write yet to go. */
  #tls = false;
  #tlsLeft = 0;
  #tlsFirst = false;

  /** GramJS passes the client's `proxy` parameter: tgpipe's ProxyConfig (see client.ts). */
  constructor(proxy?: SocketProxy) {
    this.#proxy = proxy;
  }

  /** Bytes received since the connection opened (FilePool: an answer still coming in is not lost). */
  get received(): number {
    return this.#received;
  }

  /** Opens the TCP connection (GramJS passes port first). */
  async connect(port: number, ip: string): Promise<this> {
    this.#conn = this.#proxy
      ? await openProxyTunnel(this.#proxy, ip, port).catch((err) => {
        this.#proxy?.onFail?.(err);
        throw err;
      })
      : await Deno.connect({ hostname: ip, port });
    this.#conn.setNoDelay(true);
    this.#pending = new Uint8Array(0);
    this.#writing = Promise.resolve();
    this.#obf = undefined;
    this.#received = 0;
    this.#stopAnswerTimer();
    this.#tls = false;
    this.#tlsLeft = 0;
    this.closed = false;
    return this;
  }

  /** True when connections go through an MTProxy (the transport must call {@link obfuscate}). */
  get mtproxy(): boolean {
    return this.#proxy?.kind === "mtproxy";
  }

  /**
   * Sends the obfuscated2 header for `dcId` and the transport `tag`; the stream is encrypted
   * after it. With a fake-TLS secret, the TLS handshake with the proxy comes first.
   */
  async obfuscate(dcId: number, tag: Uint8Array): Promise<void> {
    const proxy = this.#proxy!;
    this.#dcId = dcId;
    if (proxy.domain) await this.#fakeTls(proxy);
    const obf = obfuscated2(proxy.secret!, tag, dcId);
    this.write(obf.header);
    this.#obf = obf;
  }

  async #fakeTls(proxy: SocketProxy): Promise<void> {
    const { hello, random } = clientHello(proxy.secret!, proxy.domain!);
    this.#expectAnswer(true);
    this.write(hello);
    const read = (n: number) => this.readExactly(n).then((b) => Uint8Array.from(b));
    if (!await readServerHello(read, proxy.secret!, random).catch(() => false)) {
      const err = new ProxyError(
        proxy,
        `DC ${this.#dcId}`,
        "it did not answer the fake-TLS handshake for this secret (is the secret right?)",
      );
      proxy.onFail?.(err);
      throw err;
    }
    this.#tls = true;
    this.#tlsFirst = true;
  }

  /** Resolves with exactly `n` bytes; throws once the connection is closed. */
  async readExactly(n: number): Promise<Buffer> {
    this.#live(); // a closed socket reads nothing, not even what it had buffered
    const out = takePacketBuffer(n);
    let got = this.#take(out, 0, n);
    while (got < n) {
      const conn = this.#live();
      const want = n - got;
      // big remainders go straight into the caller's buffer: no intermediate copy
      const read = await this.#readSome(conn, want >= SCRATCH ? out.subarray(got) : this.#scratch);
      if (read === null) throw this.#eof();
      if (want >= SCRATCH) {
        this.#decrypt(out, got, read);
        got += read;
      } else {
        this.#decrypt(this.#scratch, 0, read);
        this.#pending = this.#scratch.subarray(0, read);
        got += this.#take(out, got, n);
      }
    }
    return out;
  }

  /** Resolves with at most `n` bytes, at least one. */
  async read(n: number): Promise<Buffer> {
    this.#live();
    if (this.#pending.length === 0) {
      const read = await this.#readSome(this.#live(), this.#scratch);
      if (read === null) throw this.#eof();
      this.#decrypt(this.#scratch, 0, read);
      this.#pending = this.#scratch.subarray(0, read);
    }
    const out = Buffer.allocUnsafe(Math.min(n, this.#pending.length));
    this.#take(out, 0, out.length);
    return out;
  }

  /** Whatever is available (GramJS's obfuscated transports use it). */
  readAll(): Promise<Buffer> {
    return this.read(SCRATCH);
  }

  /** Queues bytes to send; GramJS does not await writes, so they are chained in order here. */
  write(data: Uint8Array): void {
    const conn = this.#live();
    // a copy (the cipher's output is one): GramJS may reuse its buffer before the write runs
    let bytes = this.#obf ? this.#obf.encrypt(data) : Uint8Array.from(data);
    if (this.#tls) (bytes = wrapRecords(bytes, this.#tlsFirst), this.#tlsFirst = false);
    // the first packet after the header: the MTProxy (so the DC) must answer it
    if (this.#obf && this.#received === 0 && !this.#answerTimer) this.#expectAnswer(false);
    this.#writing = this.#writing.then(async () => {
      for (let o = 0; o < bytes.length;) o += await conn.write(bytes.subarray(o));
    }).catch(() => void this.close());
  }

  /** Closes the connection; pending reads reject. */
  close(): Promise<void> {
    this.closed = true;
    this.#stopAnswerTimer();
    const conn = this.#conn;
    this.#conn = undefined;
    try {
      conn?.close();
    } catch {
      // already closed by the peer
    }
    return Promise.resolve();
  }

  /** GramJS prints sockets in logs. */
  toString(): string {
    return "FastSocket";
  }

  #take(out: Uint8Array, at: number, n: number): number {
    const k = Math.min(n - at, this.#pending.length);
    if (k > 0) {
      out.set(this.#pending.subarray(0, k), at);
      this.#pending = this.#pending.subarray(k);
    }
    return k;
  }

  #live(): Deno.TcpConn {
    if (this.closed || !this.#conn) throw new Error(CLOSED);
    return this.#conn;
  }

  /** Reads into `buf`; through fake TLS, only the payload of application-data records. */
  async #readSome(conn: Deno.TcpConn, buf: Uint8Array): Promise<number | null> {
    if (!this.#tls) return conn.read(buf);
    while (this.#tlsLeft === 0) {
      const head = new Uint8Array(5);
      for (let got = 0; got < 5;) {
        const r = await conn.read(head.subarray(got));
        if (r === null) return null;
        got += r;
      }
      if (head[0] !== 0x17 || head[1] !== 3 || head[2] !== 3) {
        throw new Error("Bad fake-TLS record from the proxy");
      }
      this.#tlsLeft = (head[3] << 8) | head[4];
    }
    const n = await conn.read(buf.subarray(0, Math.min(buf.length, this.#tlsLeft)));
    if (n !== null) this.#tlsLeft -= n;
    return n;
  }

  /** Decrypts `n` bytes just read at `at`, in place (CTR: in the order they arrived). */
  #decrypt(buf: Uint8Array, at: number, n: number): void {
    this.#received += n;
    if (this.#answerTimer) this.#stopAnswerTimer();
    if (this.#obf) buf.set(this.#obf.decrypt(buf.subarray(at, at + n)), at);
  }

  /**
   * Reports an MTProxy that says nothing for HANDSHAKE_MS (fatal while the client connects; later
   * GramJS's own timeouts handle a quiet connection). A fake-TLS handshake is also ended (`close`).
   */
  #expectAnswer(close: boolean): void {
    this.#answerTimer = setTimeout(() => {
      this.#answerTimer = undefined;
      const reason = `no answer within ${HANDSHAKE_MS / 1000} s (is the secret right?)`;
      this.#proxy?.onFail?.(new ProxyError(this.#proxy, `DC ${this.#dcId}`, reason));
      if (close) void this.close();
    }, HANDSHAKE_MS);
  }

  #stopAnswerTimer(): void {
    clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
  }

  #eof(): Error {
    void this.close();
    if (this.#obf && this.#received === 0) {
      // a real MTProxy drops a connection whose header does not decrypt with its secret
      this.#proxy?.onFail?.(
        new ProxyError(
          this.#proxy,
          `DC ${this.#dcId}`,
          "it closed the connection without answering (is the secret right?)",
        ),
      );
    }
    return new Error(CLOSED);
  }
}
