import assert from "node:assert/strict";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";

Deno.test("parseEndpoints reads the DC map and the RSA key", () => {
  const ep = parseEndpoints(JSON.stringify({
    dcs: { "2": { host: "127.0.0.1", port: 4000, media: false }, "4": { host: "127.0.0.1", port: "4002" } },
    rsa: { fingerprint: "-3414540481677951611", n: "1234567890123", e: 65537 },
  }));
  assert.deepEqual(ep, {
    dcs: { 2: { host: "127.0.0.1", port: 4000 }, 4: { host: "127.0.0.1", port: 4002 } },
    rsa: { fingerprint: "-3414540481677951611", n: "1234567890123", e: 65537 },
  });
  assert.deepEqual(parseEndpoints('{"dcs":{"1":{"host":"h","port":1}}}'), {
    dcs: { 1: { host: "h", port: 1 } },
  });
});

Deno.test("parseEndpoints rejects bad values with RangeError naming the problem", () => {
  const bad: Array<[string, RegExp]> = [
    ["{", /not valid JSON/],
    ["{}", /"dcs" map/],
    ['{"dcs":{}}', /empty/],
    ['{"dcs":{"x":{"host":"h","port":1}}}', /bad DC id/],
    ['{"dcs":{"2":{"port":1}}}', /host/],
    ['{"dcs":{"2":{"host":"h","port":70000}}}', /port/],
    ['{"dcs":{"2":{"host":"h","port":1}},"rsa":{"fingerprint":"abc","n":"1234567890"}}', /fingerprint/],
    ['{"dcs":{"2":{"host":"h","port":1}},"rsa":{"fingerprint":"1","n":"12"}}', /rsa\.n/],
  ];
  for (const [text, re] of bad) {
    assert.throws(() => parseEndpoints(text), (e) => e instanceof RangeError && re.test(e.message), text);
  }
});
