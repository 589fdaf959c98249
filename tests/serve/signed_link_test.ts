/** Signed links: valid ones verify, and every change (resource, expiry, MAC, key) is refused. */
import assert from "node:assert/strict";
import { signingKey, signResource, verifyResource } from "../../lib/serve/signed_link.ts";

const SECRET = new TextEncoder().encode("0123456789abcdef0123456789abcdef");

Deno.test("signed link: a fresh signature verifies until its expiry", async () => {
  const key = await signingKey(SECRET);
  const s = await signResource(key, "/chan/42", 1000);
  const q = { exp: String(s.exp), sig: s.sig };
  assert.match(s.sig, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyResource(key, "/chan/42", q, 999), true);
  assert.equal(await verifyResource(key, "/chan/42", q, 1000), true);
  assert.equal(await verifyResource(key, "/chan/42", q, 1001), false, "expired");
});

Deno.test("signed link: another resource, expiry, MAC or key is refused", async () => {
  const key = await signingKey(SECRET);
  const s = await signResource(key, "/chan/42", 1000);
  assert.equal(await verifyResource(key, "/chan/43", { exp: "1000", sig: s.sig }, 0), false);
  assert.equal(await verifyResource(key, "/chan/42", { exp: "1001", sig: s.sig }, 0), false);
  const flipped = (s.sig[0] === "A" ? "B" : "A") + s.sig.slice(1);
  assert.equal(await verifyResource(key, "/chan/42", { exp: "1000", sig: flipped }, 0), false);
  const other = await signingKey(new TextEncoder().encode("another secret of 32 bytes......"));
  assert.equal(await verifyResource(other, "/chan/42", { exp: "1000", sig: s.sig }, 0), false);
});

Deno.test("signed link: missing, malformed and truncated values are refused", async () => {
  const key = await signingKey(SECRET);
  const s = await signResource(key, "/chan/42", 1000);
  for (
    const q of [
      { exp: null, sig: s.sig },
      { exp: "1000", sig: null },
      { exp: "", sig: s.sig },
      { exp: "1e3", sig: s.sig },
      { exp: "-1", sig: s.sig },
      { exp: "1000", sig: s.sig.slice(0, 20) },
      { exp: "1000", sig: s.sig + "AA" },
      { exp: "1000", sig: "!!!" },
      { exp: "1000", sig: "" },
    ]
  ) {
    assert.equal(await verifyResource(key, "/chan/42", q, 0), false, JSON.stringify(q));
  }
});

Deno.test("signed link: a short secret is refused", async () => {
  await assert.rejects(() => signingKey(new Uint8Array(8)), RangeError);
});
