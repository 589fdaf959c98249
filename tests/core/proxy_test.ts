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
      ["tg://proxy?server=1.2.3.4&port=443&secret=ee00", /MTProxy link: the secret must be/],
      ["https://t.me/proxy?server=x&port=1&secret=dd", /MTProxy link: the secret must be/],
      ["tg://proxyx?server=x&port=1&secret=00", /Unsupported proxy scheme "tg"/],
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

const KEY = "fbffbf0123456789abcdef0123456789";
const BYTES = Uint8Array.from(KEY.match(/../g)!, (h) => parseInt(h, 16));

Deno.test("parseProxy reads MTProxy links: plain, dd and ee secrets, in hex, base64 and base64url", () => {
  const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
  const plain = { kind: "mtproxy", host: "1.2.3.4", port: 443, secret: BYTES, padded: false };
  const padded = { ...plain, padded: true };
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${KEY}`), plain);
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${KEY.toUpperCase()}`), plain);
  assert.deepEqual(parseProxy(`https://t.me/proxy?server=1.2.3.4&port=443&secret=dd${KEY}`), padded);
  assert.deepEqual(parseProxy(`http://telegram.me/proxy?port=443&secret=dd${KEY}&server=1.2.3.4`), padded);
  // standard base64 with its "+" and "/" (a query reads "+" as a space), then base64url unpadded
  const dd = b64([0xdd, ...BYTES]);
  assert.ok(/[+/]/.test(dd), dd);
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${dd}`), padded);
  const url = dd.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${url}`), padded);
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${b64([...BYTES])}`), plain);
  assert.equal(describeProxy(parseProxy(`tg://proxy?server=::1&port=8&secret=${KEY}`)), "mtproxy://[::1]:8");
  // fake TLS: ee, the key, the domain (hex or base64)
  const ee = { ...padded, domain: "google.com" };
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=ee${KEY}676f6f676c652e636f6d`), ee);
  const eeB64 = b64([0xee, ...BYTES, ...new TextEncoder().encode("google.com")]);
  assert.deepEqual(parseProxy(`tg://proxy?server=1.2.3.4&port=443&secret=${encodeURIComponent(eeB64)}`), ee);
});

Deno.test("parseProxy refuses bad MTProxy links in one line that never holds the secret", () => {
  for (
    const [bad, re] of [
      [`tg://proxy?port=443&secret=${KEY}`, /no server=/],
      [`tg://proxy?server=h&secret=${KEY}`, /port= must be a number from 1 to 65535/],
      [`tg://proxy?server=h&port=0&secret=${KEY}`, /port= must be/],
      [`tg://proxy?server=h&port=44x&secret=${KEY}`, /port= must be/],
      ["tg://proxy?server=h&port=443", /no secret=/],
      [
        `tg://proxy?server=h&port=443&secret=${KEY}00`,
        /secret must be 32 hex digits, dd \+ 32 hex digits, or ee \+ 32 hex digits \+ the hex of a domain/,
      ],
      [`tg://proxy?server=h&port=443&secret=${KEY.slice(2)}zz`, /secret must be/],
      [`tg://proxy?server=h&port=443&secret=ab${KEY}`, /secret must be/],
      [
        `tg://proxy?server=h&port=443&secret=ee${KEY}2f2f`,
        /fake-TLS \(ee\) secret does not end in a domain name/,
      ],
      [`tg://proxy?server=h&port=443&secret=ee${KEY}`, /secret must be/],
    ] as const
  ) {
    assert.throws(() => parseProxy(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, bad);
      assert.match((e as Error).message, re, bad);
      assert.doesNotMatch((e as Error).message, new RegExp(KEY.slice(2, 30)), bad);
      assert.equal((e as Error).message.split("\n").length, 1);
      return true;
    });
  }
});
