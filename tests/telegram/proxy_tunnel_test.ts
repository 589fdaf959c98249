import assert from "node:assert/strict";
import { ProxyError } from "../../lib/core/proxy.ts";
import { openProxyTunnel } from "../../lib/telegram/proxy_tunnel.ts";
import { FastSocket } from "../../lib/telegram/fast_socket.ts";
import { startProxy } from "../_helpers/proxy_server.ts";

/** A loopback echo server; returns its port and a close function. */
function _echo() {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const done = (async () => {
    for await (const c of l) {
      conns.push(c);
      (async () => {
        const b = new Uint8Array(1024);
        for (let n; (n = await c.read(b).catch(() => null)) !== null;) await c.write(b.subarray(0, n));
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    port: (l.addr as Deno.NetAddr).port,
    close: async () => {
      l.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await done;
    },
  };
}

async function _roundTrip(conn: Deno.TcpConn, text: string): Promise<string> {
  await conn.write(new TextEncoder().encode(text));
  const b = new Uint8Array(text.length);
  let got = 0;
  while (got < b.length) got += (await conn.read(b.subarray(got)))!;
  return new TextDecoder().decode(b);
}

Deno.test("openProxyTunnel: SOCKS5 and HTTP CONNECT, with and without credentials, carry bytes both ways", async () => {
  const echo = _echo();
  const auth = { username: "me", password: "s3cret" };
  for (const kind of ["socks5", "http"] as const) {
    for (const withAuth of [false, true]) {
      const proxy = startProxy({ kind, auth: withAuth ? auth : undefined });
      try {
        const cfg = { kind, host: "127.0.0.1", port: proxy.port, ...(withAuth ? auth : {}) };
        const conn = await openProxyTunnel(cfg, "127.0.0.1", echo.port);
        assert.equal(await _roundTrip(conn, `hello ${kind}`), `hello ${kind}`);
        conn.close();
        assert.deepEqual(proxy.targets, [`127.0.0.1:${echo.port}`]);
        if (withAuth) {
          const wrong = { ...cfg, password: "nope" };
          await assert.rejects(
            () => openProxyTunnel(wrong, "127.0.0.1", echo.port),
            (e: unknown) =>
              e instanceof ProxyError && /password|407/.test(e.message) && !/nope/.test(e.message),
          );
          const none = { kind, host: "127.0.0.1", port: proxy.port };
          await assert.rejects(() => openProxyTunnel(none, "127.0.0.1", echo.port), ProxyError);
        }
      } finally {
        await proxy.close();
      }
    }
  }
  await echo.close();
});

Deno.test("openProxyTunnel: a refused CONNECT, a dead proxy and a silent proxy fail with the reason", async () => {
  const refusing = startProxy({ kind: "socks5", refuse: 5 });
  const silent = startProxy({ kind: "socks5", silent: true });
  try {
    const at = (port: number) => ({ kind: "socks5" as const, host: "127.0.0.1", port });
    await assert.rejects(() => openProxyTunnel(at(refusing.port), "10.0.0.1", 443), /connection refused/);
    await assert.rejects(
      () => openProxyTunnel(at(silent.port), "10.0.0.1", 443, 300),
      /no answer within 0.3 s/,
    );
    const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (free.addr as Deno.NetAddr).port;
    free.close();
    await assert.rejects(() => openProxyTunnel(at(port), "10.0.0.1", 443), /proxy is unreachable/);
  } finally {
    await refusing.close();
    await silent.close();
  }
});

Deno.test("FastSocket connects through its proxy", async () => {
  const echo = _echo();
  const proxy = startProxy({ kind: "socks5" });
  try {
    const s = new FastSocket({ kind: "socks5", host: "127.0.0.1", port: proxy.port });
    await s.connect(echo.port, "127.0.0.1");
    await s.write(new TextEncoder().encode("abc"));
    assert.equal(new TextDecoder().decode(await s.readExactly(3)), "abc");
    await s.close();
    assert.equal(proxy.tunnels, 1);
  } finally {
    await proxy.close();
    await echo.close();
  }
});
