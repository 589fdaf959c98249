/**
 * `--proxy tg://proxy?…`: every Telegram connection of a command (main DC, file DCs, fetch workers) goes through
 * an MTProxy (tests/fakedc/mtproxy.ts, which serves only its own secret), plain, dd and ee (fake-TLS) secrets,
 * from the env, the config file and the flag; a wrong secret is a one-line error in bounded time,
 * a bad link exit 2 before any connection, and the secret is never printed.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { startMtproxy, type TestMtproxy } from "../fakedc/mtproxy.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { startProxy } from "../_helpers/proxy_server.ts";
import { runThroughProxy, withProxiedDc } from "./_proxy_helpers.ts";

const T = { timeoutMs: 120_000 };

const SECRET = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
const HEX = [...SECRET].map((b) => b.toString(16).padStart(2, "0")).join("");
const DOMAIN = "cdn.example.org";
/** A fake-TLS secret: ee, the key, the domain. */
const EE = `ee${HEX}${
  [...new TextEncoder().encode(DOMAIN)].map((b) => b.toString(16).padStart(2, "0")).join("")
}`;
/** The dd secret in base64url, as some apps share it. */
const DD_B64URL = btoa(String.fromCharCode(0xdd, ...SECRET)).replace(/\+/g, "-").replace(/\//g, "_").replace(
  /=+$/,
  "",
);

function _total(p: TestMtproxy): number {
  return [...p.connections.values()].reduce((a, b) => a + b, 0);
}

Deno.test({
  name:
    "MTProxy: whoami, export (with workers) and download go only through the proxy: plain (env), dd (config) and ee (flag) secrets",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withProxiedDc("tgpipe_mtproxy_", async (tg, dir) => {
      for (const mode of ["plain", "dd", "ee"] as const) {
        const domain = mode === "ee" ? DOMAIN : undefined;
        const proxy = startMtproxy({ secret: SECRET, dcs: tg.dcs, paddedOnly: mode === "dd", domain });
        const before = tg.stats.connections;
        try {
          const env: Record<string, string> = { ...tg.env, TGPIPE_KV: `${dir}/${mode}.kv` };
          const flags: string[] = [];
          if (mode === "plain") {
            env.TGPIPE_PROXY = `tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=${HEX}`;
          } else if (mode === "ee") {
            flags.push("--proxy", `tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=${EE}`);
          } else {
            const link = `https://t.me/proxy?server=127.0.0.1&port=${proxy.port}&secret=${DD_B64URL}`;
            await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ proxy: link }));
            env.TGPIPE_CONFIG = `${dir}/config.json`;
          }
          await runThroughProxy(dir, mode, flags, { env, secrets: [HEX, DD_B64URL, EE], ...T });
          const dcs = [...proxy.connections.keys()];
          assert.ok(dcs.includes(2), `home DC through the proxy: ${dcs}`);
          assert.ok(dcs.some((id) => id !== 2), `a file DC through the proxy: ${dcs}`);
          assert.equal(proxy.refused, 0);
          const tag = mode === "plain" ? "eeeeeeee" : "dddddddd";
          assert.deepEqual(new Set(proxy.tags), new Set([tag]), `${mode}: ${proxy.tags}`);
          const direct = tg.stats.connections - before - _total(proxy);
          assert.equal(direct, 0, "every connection the DCs accepted came through the proxy");
        } finally {
          await proxy.close();
        }
      }
    }),
});

Deno.test({
  name:
    "MTProxy: a wrong secret or a silent proxy is a one-line error (exit 1); a bad link is exit 2 before any connection",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5,files=0", basePort: 0 });
    const proxy = startMtproxy({ secret: SECRET, dcs: tg.dcs });
    try {
      const wrong = HEX.slice(0, 31) + (HEX[31] === "0" ? "1" : "0");
      const before = tg.stats.connections;
      const link = `tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=dd${wrong}`;
      const r = await runCli(["--proxy", link, "whoami"], { env: tg.env, secrets: [wrong], ...T });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /proxy mtproxy:\/\/127\.0\.0\.1:\d+ could not connect to DC 2: .*secret/i);
      assert.ok(proxy.refused >= 1, "the proxy dropped the connection");
      assert.equal(_total(proxy), 0);
      assert.equal(tg.stats.connections, before, "nothing reached Telegram");

      // fake TLS: the proxy does not answer a ClientHello made with another secret
      const tls = startMtproxy({ secret: SECRET, dcs: tg.dcs, domain: DOMAIN });
      try {
        const eeWrong = `ee${wrong}${EE.slice(34)}`;
        const t = await runCli(
          ["--proxy", `tg://proxy?server=127.0.0.1&port=${tls.port}&secret=${eeWrong}`, "whoami"],
          { env: tg.env, secrets: [wrong], ...T },
        );
        assert.equal(t.code, 1, t.stderr);
        assert.equal(t.stderr.trim().split("\n").length, 1, t.stderr);
        assert.match(
          t.stderr,
          /proxy mtproxy:\/\/127\.0\.0\.1:\d+ could not connect to DC 2: .*fake-TLS.*secret/i,
        );
        assert.ok(tls.refused >= 1 && _total(tls) === 0, "the fake-TLS proxy refused the hello");
        assert.equal(tg.stats.connections, before, "nothing reached Telegram");
      } finally {
        await tls.close();
      }
      // a proxy that takes the connection and never answers (plain and fake TLS)
      const silent = startProxy({ kind: "socks5", silent: true });
      try {
        for (const secret of [HEX, EE]) {
          const link = `tg://proxy?server=127.0.0.1&port=${silent.port}&secret=${secret}`;
          const q = await runCli(["--proxy", link, "whoami"], { env: tg.env, secrets: [HEX], ...T });
          assert.equal(q.code, 1, q.stderr);
          assert.equal(q.stderr.trim().split("\n").length, 1, q.stderr);
          assert.match(q.stderr, /could not connect to DC 2: no answer within 10 s/);
        }
      } finally {
        await silent.close();
      }
      assert.equal(tg.stats.connections, before, "nothing reached Telegram");
      const refused = proxy.refused;

      const port = `port=${proxy.port}`;
      const bad: [string, RegExp][] = [
        [`tg://proxy?${port}&secret=${HEX}`, /no server=/],
        [`tg://proxy?server=127.0.0.1&secret=${HEX}`, /port= must be/],
        [`tg://proxy?server=127.0.0.1&port=70000&secret=${HEX}`, /port= must be/],
        [`tg://proxy?server=127.0.0.1&${port}`, /no secret=/],
        [`tg://proxy?server=127.0.0.1&${port}&secret=${HEX.slice(2)}zz`, /secret must be/],
        [`tg://proxy?server=127.0.0.1&${port}&secret=${HEX.slice(4)}`, /secret must be/],
        [
          `https://t.me/proxy?server=127.0.0.1&${port}&secret=ee${HEX}2f2f3a`,
          /fake-TLS \(ee\) secret does not end in a domain/,
        ],
      ];
      for (const [b, re] of bad) {
        const res = await runCli(["--proxy", b, "whoami"], { env: tg.env, secrets: [HEX.slice(4)], ...T });
        assert.equal(res.code, 2, `${b}: ${res.stderr}`);
        const out = res.stderr.trim().split("\n");
        assert.equal(out.length, 1, res.stderr);
        assert.match(out[0], re, b);
        assert.ok(
          !res.stderr.includes(HEX.slice(4)) && !res.stdout.includes(HEX.slice(4)),
          "secret not printed",
        );
      }
      assert.equal(proxy.refused, refused, "no bad link reached the proxy");
      assert.equal(_total(proxy), 0);
      assert.equal(tg.stats.connections, before);
    } finally {
      await proxy.close();
      await tg.close();
    }
  },
});
