/**
 * Opens a TCP tunnel to a Telegram DC through a SOCKS5 proxy (RFC 1928, user/password auth per
 * RFC 1929) or an HTTP proxy's CONNECT. The handshake has its own deadline, so a proxy that
 * accepts and then says nothing fails in seconds instead of hanging the command.
 */
import { type ProxyConfig, ProxyError } from "../core/proxy.ts";

/** How long a proxy may take to answer its handshake (or an MTProxy our first packet). */
export const HANDSHAKE_MS = 10_000;
const encoder = new TextEncoder();

/** SOCKS5 reply codes (RFC 1928 §6) as people read them. */
const SOCKS_REPLIES: Record<number, string> = {
  1: "general SOCKS server failure",
  2: "connection not allowed by the proxy's rules",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported",
};

/**
 * A connection to `host:port` through `proxy`, ready for MTProto bytes. An MTProxy has no
 * handshake: the connection to it is the tunnel, and the obfuscated2 header the transport sends
 * first names the DC (see obfuscated2.ts).
 */
export async function openProxyTunnel(
  proxy: ProxyConfig,
  host: string,
  port: number,
  timeoutMs = HANDSHAKE_MS,
): Promise<Deno.TcpConn> {
  const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: proxy.host, port: proxy.port });
  } catch (err) {
    throw new ProxyError(proxy, target, `the proxy is unreachable (${(err as Error).message})`);
  }
  if (proxy.kind === "mtproxy") return conn;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    conn.close();
  }, timeoutMs);
  try {
    if (proxy.kind === "socks5") await _socks5(conn, proxy, host, port);
    else await _httpConnect(conn, proxy, target);
    return conn;
  } catch (err) {
    try {
      conn.close();
    } catch { /* closed by the deadline */ }
    if (late) throw new ProxyError(proxy, target, `no answer within ${timeoutMs / 1000} s`);
    if (err instanceof ProxyError) throw err;
    const reason = (err as Error).message;
    throw new ProxyError(proxy, target, reason);
  } finally {
    clearTimeout(timer);
  }
}

async function _socks5(conn: Deno.TcpConn, proxy: ProxyConfig, host: string, port: number): Promise<void> {
  const target = `${host}:${port}`;
  const auth = proxy.username !== undefined;
  await _write(conn, auth ? [5, 2, 0, 2] : [5, 1, 0]);
  const [ver, method] = await _read(conn, 2);
  if (ver !== 5) throw new ProxyError(proxy, target, "it does not speak SOCKS5");
  if (method === 0xff) throw new ProxyError(proxy, target, "it accepts none of our login methods");
  if (method === 2) {
    if (!auth) throw new ProxyError(proxy, target, "it asks for a user name and password");
    const u = encoder.encode(proxy.username ?? ""), p = encoder.encode(proxy.password ?? "");
    await _write(conn, [1, u.length, ...u, p.length, ...p]);
    const [, status] = await _read(conn, 2);
    if (status !== 0) throw new ProxyError(proxy, target, "it refused the user name or password");
  } else if (method !== 0) throw new ProxyError(proxy, target, `it chose an unknown login method ${method}`);
  await _write(conn, [5, 1, 0, ..._address(host), port >> 8, port & 0xff]);
  const [v, rep, , atyp] = await _read(conn, 4);
  if (v !== 5) throw new ProxyError(proxy, target, "it broke the SOCKS5 protocol");
  if (rep !== 0) throw new ProxyError(proxy, target, SOCKS_REPLIES[rep] ?? `SOCKS5 reply ${rep}`);
  // the bound address the proxy reports: read and drop it
  const len = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? (await _read(conn, 1))[0] : -1;
  if (len < 0) throw new ProxyError(proxy, target, "it broke the SOCKS5 protocol");
  await _read(conn, len + 2);
}

function _address(host: string): number[] {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return [1, ...v4.slice(1).map(Number)];
  if (host.includes(":")) {
    const [head, tail = ""] = host.split("::");
    const parts = (s: string) => (s ? s.split(":").map((x) => parseInt(x, 16)) : []);
    const h = parts(head), t = parts(tail);
    const words = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    return [4, ...words.flatMap((w) => [w >> 8, w & 0xff])];
  }
  const name = encoder.encode(host);
  return [3, name.length, ...name];
}

async function _httpConnect(conn: Deno.TcpConn, proxy: ProxyConfig, target: string): Promise<void> {
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (proxy.username !== undefined) {
    const cred = btoa(String.fromCharCode(...encoder.encode(`${proxy.username}:${proxy.password ?? ""}`)));
    lines.push(`Proxy-Authorization: Basic ${cred}`);
  }
  await _write(conn, [...encoder.encode(lines.join("\r\n") + "\r\n\r\n")]);
  // byte by byte up to the blank line: anything after it is the tunnel's, not ours to read
  const head: number[] = [];
  while (!(head.length >= 4 && head.slice(-4).join() === "13,10,13,10")) {
    if (head.length > 16 * 1024) throw new ProxyError(proxy, target, "its answer is too long");
    head.push((await _read(conn, 1))[0]);
  }
  const status = new TextDecoder().decode(new Uint8Array(head)).split("\r\n")[0];
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(status);
  if (!m) throw new ProxyError(proxy, target, "it does not speak HTTP");
  if (m[1] !== "200") throw new ProxyError(proxy, target, `it answered "${status.slice(9, 80)}"`);
}

async function _write(conn: Deno.TcpConn, bytes: number[]): Promise<void> {
  const data = new Uint8Array(bytes);
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function _read(conn: Deno.TcpConn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) throw new Error("it closed the connection");
    got += r;
  }
  return out;
}
