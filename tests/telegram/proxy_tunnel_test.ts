import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { ProxyError } from "../../lib/core/proxy.ts";
import { openProxyTunnel } from "../../lib/telegram/proxy_tunnel.ts";
import { FastSocket } from "../../lib/telegram/fast_socket.ts";
import { startProxy } from "../_helpers/proxy_server.ts";
import { startMtproxy } from "../fakedc/mtproxy.ts";
import { clientHello } from "../../lib/telegram/fake_tls.ts";

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

const KEY = Uint8Array.from({ length: 16 }, (_, i) => 200 - i * 3);
const TAGS = { ee: [0xee, 0xee, 0xee, 0xee], dd: [0xdd, 0xdd, 0xdd, 0xdd] };

Deno.test("FastSocket through an MTProxy: plain, dd and fake-TLS streams carry big payloads both ways", async () => {
  const echo = _echo();
  // the DC behind the proxy echoes: the proxy's plain transport tag comes back first, then our bytes
  const dcs = [{ id: 2, host: "127.0.0.1", port: echo.port }];
  try {
    for (const mode of ["plain", "dd", "ee"] as const) {
      const domain = mode === "ee" ? "example.com" : undefined;
      const proxy = startMtproxy({ secret: KEY, dcs, paddedOnly: mode === "dd", domain });
      try {
        const s = new FastSocket({
          kind: "mtproxy",
          host: "127.0.0.1",
          port: proxy.port,
          secret: KEY,
          domain,
        });
        await s.connect(1, "ignored.invalid");
        const tag = new Uint8Array(mode === "plain" ? TAGS.ee : TAGS.dd);
        await s.obfuscate(-2, tag);
        // 200 KB: several TLS records, and reads that go straight into the caller's buffer
        const big = new Uint8Array(200_000);
        for (let o = 0; o < big.length; o += 65_536) crypto.getRandomValues(big.subarray(o, o + 65_536));
        s.write(big.subarray(0, 1000));
        s.write(big.subarray(1000));
        assert.deepEqual([...await s.readExactly(4)], [...tag], mode);
        assert.deepEqual(await s.readExactly(big.length), Buffer.from(big), mode);
        await s.close();
        assert.deepEqual([...proxy.connections], [[-2, 1]], `${mode}: media DC id -2 served as DC 2`);
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await echo.close();
  }
});

Deno.test("an MTProxy drops a wrong secret, a wrong tag, a stale or wrong-SNI ClientHello", async () => {
  const echo = _echo();
  const dcs = [{ id: 2, host: "127.0.0.1", port: echo.port }];
  const wrong = KEY.map((b, i) => (i === 0 ? b ^ 1 : b));
  const plain = startMtproxy({ secret: KEY, dcs, paddedOnly: true });
  const tls = startMtproxy({ secret: KEY, dcs, domain: "example.com" });
  try {
    const failed: string[] = [];
    const open = async (port: number, secret: Uint8Array, domain?: string, tag = TAGS.dd, dc = 2) => {
      const s = new FastSocket({
        kind: "mtproxy",
        host: "127.0.0.1",
        port,
        secret,
        domain,
        onFail: (e) => void failed.push(e.message),
      });
      await s.connect(1, "x");
      await s.obfuscate(dc, new Uint8Array(tag));
      s.write(new Uint8Array(8));
      return s.readExactly(4);
    };
    await assert.rejects(open(plain.port, wrong));
    await assert.rejects(open(plain.port, KEY, undefined, TAGS.ee), "plain intermediate on a dd-only proxy");
    await assert.rejects(open(plain.port, KEY, undefined, TAGS.dd, 5), "a DC the proxy does not know");
    assert.equal(plain.refused, 3);
    await assert.rejects(open(tls.port, wrong, "example.com"), ProxyError);
    await assert.rejects(open(tls.port, KEY, "other.example"), ProxyError);
    assert.equal(tls.refused, 2);
    assert.equal(failed.length, 5, failed.join("\n"));
    for (const m of failed) assert.match(m, /could not connect to DC \d: .*secret/);
    // a hello an hour old is a replay, not a client
    const c = await Deno.connect({ hostname: "127.0.0.1", port: tls.port });
    await c.write(clientHello(KEY, "example.com", Math.floor(Date.now() / 1000) - 3600).hello);
    assert.equal(await c.read(new Uint8Array(1)), null);
    c.close();
    assert.equal(tls.refused, 3);
    assert.equal(plain.connections.size + tls.connections.size, 0);
  } finally {
    await plain.close();
    await tls.close();
    await echo.close();
  }
});
