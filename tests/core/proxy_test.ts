import assert from "node:assert/strict";
import { describeProxy, parseProxy } from "../../lib/core/proxy.ts";
import { UsageError } from "../../lib/core/errors.ts";

Deno.test("parseProxy reads socks5 and http URLs, with credentials and default ports", () => {
  assert.deepEqual(parseProxy("socks5://127.0.0.1:1080"), { kind: "socks5", host: "127.0.0.1", port: 1080 });
  assert.deepEqual(parseProxy("socks5h://u%40x:p%3Aw@proxy.example:9050"), {
    kind: "socks5",
    host: "proxy.example",
    port: 9050,
    username: "u@x",
    password: "p:w",
  });
  assert.deepEqual(parseProxy("socks://h"), { kind: "socks5", host: "h", port: 1080 });
  assert.deepEqual(parseProxy("http://[::1]:3128/"), { kind: "http", host: "::1", port: 3128 });
  assert.equal(describeProxy(parseProxy("http://me:secret@[::1]:3128")), "http://[::1]:3128");
});

Deno.test("parseProxy refuses what it cannot use, without echoing a password", () => {
  for (
    const [bad, re] of [
      ["tg://proxy?server=1.2.3.4&port=443&secret=ee00", /MTProxy/],
      ["https://t.me/proxy?server=x&port=1&secret=dd", /MTProxy/],
      ["https://proxy:443", /Unsupported proxy scheme "https"/],
      ["ftp://x", /Unsupported proxy scheme/],
      ["127.0.0.1:1080", /Unsupported proxy scheme|Invalid proxy/],
      ["socks5://user:hunter2@host:1080/path", /no path/],
      ["not a url at all", /Invalid proxy/],
      [`socks5://${"u".repeat(300)}:p@h`, /255 bytes/],
    ] as const
  ) {
    assert.throws(() => parseProxy(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, bad);
      assert.match((e as Error).message, re, bad);
      assert.doesNotMatch((e as Error).message, /hunter2/);
      return true;
    });
  }
});
