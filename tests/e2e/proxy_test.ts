/**
 * `--proxy`: every Telegram connection of a command (main client, file DCs, fetch workers) goes
 * through the SOCKS5 or HTTP proxy; a proxy that refuses is a one-line error, a bad URL exit 2.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { startProxy } from "../_helpers/proxy_server.ts";
import { runThroughProxy, withProxiedDc } from "./_proxy_helpers.ts";

const T = { timeoutMs: 120_000 };

Deno.test({
  name: "--proxy: whoami, export (with workers) and download go only through SOCKS5 or HTTP proxies",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withProxiedDc("tgpipe_proxy_", async (tg, dir) => {
      const auth = { username: "tg", password: "s3cretpass" };
      for (const kind of ["socks5", "http"] as const) {
        const proxy = startProxy({ kind, auth });
        const before = tg.stats.connections;
        try {
          const env = {
            ...tg.env,
            TGPIPE_KV: `${dir}/${kind}.kv`,
            TGPIPE_PROXY: `${kind}://${auth.username}:${auth.password}@127.0.0.1:${proxy.port}`,
          };
          await runThroughProxy(dir, kind, [], { env, secrets: [auth.password], ...T });
          const direct = tg.stats.connections - before - proxy.tunnels;
          assert.ok(proxy.tunnels >= 3, `${proxy.tunnels} tunnels`);
          assert.equal(direct, 0, "every connection the DCs accepted came through the proxy");
        } finally {
          await proxy.close();
        }
      }
    }),
});

Deno.test({
  name:
    "--proxy: a refusing or dead proxy is a one-line error (exit 1); a bad URL is exit 2 before any request",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5,files=0", basePort: 0 });
    const refusing = startProxy({ kind: "socks5", refuse: 2 });
    try {
      const before = tg.stats.connections;
      // a flag, not TGPIPE_PROXY: the audit takes every secret setting's value for a secret, and this
      // URL (no password) is rightly in the error
      const r = await runCli(["--proxy", `socks5://127.0.0.1:${refusing.port}`, "whoami"], {
        env: tg.env,
        ...T,
      });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /proxy socks5:\/\/127\.0\.0\.1:\d+ could not connect to .*not allowed/i);
      assert.equal(tg.stats.connections, before, "nothing reached Telegram directly");

      const rpcs = tg.stats.rpcs;
      for (const bad of ["tg://proxy?server=1.1.1.1&port=443&secret=00", "ftp://x:1", "socks5://h:1/p"]) {
        const b = await runCli(["--proxy", bad, "whoami"], { env: tg.env, ...T });
        assert.equal(b.code, 2, `${bad}: ${b.stderr}`);
        assert.equal(b.stderr.trim().split("\n").length, 1, b.stderr);
      }
      assert.equal(tg.stats.rpcs, rpcs);
    } finally {
      await refusing.close();
      await tg.close();
    }
  },
});
