/**
 * Loopback proxies for tests, strict about their protocol: SOCKS5 (RFC 1928, user/password per
 * RFC 1929; CONNECT only) and HTTP CONNECT. They relay bytes both ways and count tunnels, can
 * require credentials, refuse every CONNECT with a given SOCKS reply, or accept and stay silent.
 */

/** What a test proxy does. */
export interface ProxyOptions {
  kind: "socks5" | "http";
  /** Required credentials; without them any client is served. */
  auth?: { username: string; password: string };
  /** SOCKS5: answer every CONNECT with this reply code (5 = connection refused). */
  refuse?: number;
  /** Accept connections and never answer (a dead proxy). */
  silent?: boolean;
}

/** A running test proxy. */
export interface TestProxy {
  readonly port: number;
  /** Tunnels opened to a target so far. */
  readonly tunnels: number;
  /** Targets asked for (host:port), in order. */
  readonly targets: string[];
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port. */
export function startProxy(opts: ProxyOptions): TestProxy {
  const state = { tunnels: 0, targets: [] as string[] };
  const server = listenLoopback((c, conns) => _serve(c, opts, state, conns));
  return {
    port: server.port,
    get tunnels() {
      return state.tunnels;
    },
    targets: state.targets,
    close: server.close,
  };
}

/**
 * A loopback TCP server on a free port serving each connection with `serve` (given the set of open
 * connections, so a relay can add its upstream ones); `close` ends the listener and every connection,
 * and waits for every `serve` to finish.
 */
export function listenLoopback(
  serve: (c: Deno.Conn, conns: Set<Deno.Conn>) => Promise<void>,
): { port: number; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const runs = new Set<Promise<void>>();
  const accepting = (async () => {
    for await (const c of listener) {
      conns.add(c);
      const run = serve(c, conns).catch(() => {}).finally(() => {
        closeQuietly(c);
        conns.delete(c);
        runs.delete(run);
      });
      runs.add(run);
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      for (const c of conns) closeQuietly(c);
      await accepting;
      await Promise.all([...runs]);
    },
  };
}

async function _serve(
  c: Deno.Conn,
  opts: ProxyOptions,
  state: { tunnels: number; targets: string[] },
  conns: Set<Deno.Conn>,
): Promise<void> {
  if (opts.silent) {
    while (await c.read(new Uint8Array(1024)) !== null) { /* says nothing */ }
    return;
  }
  const target = opts.kind === "socks5" ? await _socksHandshake(c, opts) : await _httpHandshake(c, opts);
  if (!target) return;
  state.targets.push(`${target.host}:${target.port}`);
  let up: Deno.Conn;
  try {
    up = await Deno.connect({ hostname: target.host, port: target.port });
  } catch {
    await _reply(c, opts, false);
    return;
  }
  conns.add(up);
  state.tunnels++;
  await _reply(c, opts, true);
  await Promise.all([pipe(c, up), pipe(up, c)]);
  conns.delete(up);
  closeQuietly(up);
}

async function _socksHandshake(c: Deno.Conn, opts: ProxyOptions) {
  const [ver, n] = await readExactly(c, 2);
  if (ver !== 5) throw new Error("not SOCKS5");
  const methods = [...await readExactly(c, n)];
  const want = opts.auth ? 2 : 0;
  if (!methods.includes(want)) {
    await c.write(new Uint8Array([5, 0xff]));
    return undefined;
  }
  await c.write(new Uint8Array([5, want]));
  if (opts.auth) {
    const [v] = await readExactly(c, 1);
    if (v !== 1) throw new Error("bad auth version");
    const user = new TextDecoder().decode(await readExactly(c, (await readExactly(c, 1))[0]));
    const pass = new TextDecoder().decode(await readExactly(c, (await readExactly(c, 1))[0]));
    const ok = user === opts.auth.username && pass === opts.auth.password;
    await c.write(new Uint8Array([1, ok ? 0 : 1]));
    if (!ok) return undefined;
  }
  const [v, cmd, rsv, atyp] = await readExactly(c, 4);
  if (v !== 5 || rsv !== 0) throw new Error("bad request");
  let host: string;
  if (atyp === 1) host = [...await readExactly(c, 4)].join(".");
  else if (atyp === 3) host = new TextDecoder().decode(await readExactly(c, (await readExactly(c, 1))[0]));
  else if (atyp === 4) {
    const b = await readExactly(c, 16);
    host = Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16)).join(":");
  } else throw new Error("bad address type");
  const p = await readExactly(c, 2);
  if (cmd !== 1) {
    await c.write(new Uint8Array([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
    return undefined;
  }
  if (opts.refuse) {
    await c.write(new Uint8Array([5, opts.refuse, 0, 1, 0, 0, 0, 0, 0, 0]));
    return undefined;
  }
  return { host, port: (p[0] << 8) | p[1] };
}

async function _httpHandshake(c: Deno.Conn, opts: ProxyOptions) {
  const head: number[] = [];
  while (!(head.length >= 4 && head.slice(-4).join() === "13,10,13,10")) {
    head.push((await readExactly(c, 1))[0]);
  }
  const lines = new TextDecoder().decode(new Uint8Array(head)).split("\r\n");
  const m = /^CONNECT (\S+):(\d+) HTTP\/1\.1$/.exec(lines[0]);
  if (!m) {
    await c.write(new TextEncoder().encode("HTTP/1.1 405 Method Not Allowed\r\n\r\n"));
    return undefined;
  }
  if (opts.auth) {
    const want = `Proxy-Authorization: Basic ${btoa(`${opts.auth.username}:${opts.auth.password}`)}`;
    if (!lines.includes(want)) {
      await c.write(new TextEncoder().encode("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"));
      return undefined;
    }
  }
  return { host: m[1].replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
}

async function _reply(c: Deno.Conn, opts: ProxyOptions, ok: boolean): Promise<void> {
  if (opts.kind === "socks5") await c.write(new Uint8Array([5, ok ? 0 : 5, 0, 1, 127, 0, 0, 1, 0, 0]));
  else {await c.write(
      new TextEncoder().encode(
        ok ? "HTTP/1.1 200 Connection established\r\n\r\n" : "HTTP/1.1 502 Bad Gateway\r\n\r\n",
      ),
    );}
}

/** Relays `from` to `to` until either closes (through `map`, e.g. a stream cipher), then closes `to`. */
export async function pipe(
  from: Deno.Conn,
  to: Deno.Conn,
  map: (b: Uint8Array) => Uint8Array = (b) => b,
): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const n = await from.read(buf);
      if (n === null) break;
      const out = map(buf.subarray(0, n));
      let off = 0;
      while (off < out.length) off += await to.write(out.subarray(off));
    }
  } catch { /* either side closed */ }
  closeQuietly(to);
}

/** Exactly `n` bytes from `c`; throws if it closes first. */
export async function readExactly(c: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await c.read(out.subarray(got));
    if (r === null) throw new Error("closed");
    got += r;
  }
  return out;
}

/** Closes `c`, whether or not the peer already did. */
export function closeQuietly(c: Deno.Conn): void {
  try {
    c.close();
  } catch { /* already closed */ }
}
