/** A TCP listener for one fake DC; every accepted socket becomes a Connection. */
import { Connection, type ConnEnv } from "./connection.ts";
import { useCryptoWorkers } from "./crypto_offload.ts";

let _nextConnId = 1;

/** One listening DC. */
export class DcServer {
  readonly #conns = new Set<Connection>();
  readonly #runs = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  #closed = false;
  readonly #releaseCrypto = useCryptoWorkers();

  private constructor(readonly listener: Deno.TcpListener, readonly env: ConnEnv) {
    this.#accepting = this.#accept();
  }

  /** Binds host:port (port 0 = ephemeral) and starts serving. */
  static listen(env: ConnEnv, host: string, port: number): DcServer {
    return new DcServer(Deno.listen({ hostname: host, port, transport: "tcp" }), env);
  }

  /** The bound port. */
  get port(): number {
    return this.listener.addr.port;
  }

  /** Open connections right now. */
  get connectionCount(): number {
    return this.#conns.size;
  }

  async #accept(): Promise<void> {
    try {
      for await (const sock of this.listener) {
        if (this.#closed) {
          sock.close();
          break;
        }
        sock.setNoDelay(true);
        this.env.stats.connections++;
        const c = new Connection(sock, _nextConnId++, this.env);
        if (this.env.trace) this.env.log(`[dc${this.env.dc.id} c${c.id}] accepted`);
        this.#conns.add(c);
        const run = c.run().finally(() => {
          this.#conns.delete(c);
          this.#runs.delete(run);
        });
        this.#runs.add(run);
      }
    } catch (e) {
      if (!this.#closed) this.env.log(`[dc${this.env.dc.id}] accept failed: ${e}`);
    }
  }

  /** Drops every client connection (as a DC restart would) without closing the listener. */
  async dropConnections(): Promise<void> {
    for (const c of this.#conns) c.close();
    await Promise.allSettled([...this.#runs]);
  }

  /** Stops listening, closes every connection and waits until no socket op is pending. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.listener.close();
    } catch { /* already closed */ }
    await this.#accepting;
    await this.dropConnections();
    this.#releaseCrypto();
  }
}
