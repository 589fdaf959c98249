/** The test origin itself: ranges, each fault as a client sees it, and a clean stop while stalled. */
import assert from "node:assert/strict";
import { startOrigin } from "./http_origin.ts";

const BODY = new Uint8Array(100_000).map((_, i) => i % 251);

Deno.test("http origin: ranges, faults per request, recorded requests, clean stop while stalled", async () => {
  const o = startOrigin({
    "/f": {
      body: BODY,
      headers: { "content-type": "application/x-test" },
      faults: ({ n }) =>
        [{}, { dropAfter: 1000 }, { status: 500 }, { chunked: true }, { stallAfter: 500 }][n] ?? {},
    },
  });
  try {
    const whole = await fetch(`${o.base}/f`, { headers: { range: "bytes=10-" } });
    assert.equal(whole.status, 206);
    assert.equal(whole.headers.get("content-range"), `bytes 10-${BODY.length - 1}/${BODY.length}`);
    assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), BODY.subarray(10));
    const dropped = await fetch(`${o.base}/f`);
    await assert.rejects(dropped.arrayBuffer());
    const failed = await fetch(`${o.base}/f`);
    assert.equal(failed.status, 500);
    await failed.body?.cancel();
    const chunked = await fetch(`${o.base}/f`);
    assert.equal(chunked.headers.get("content-length"), null);
    assert.equal((await chunked.arrayBuffer()).byteLength, BODY.length);
    const stalled = o.stalled("/f");
    const stuck = await fetch(`${o.base}/f`);
    const reading = stuck.arrayBuffer();
    await stalled;
    const missing = await fetch(`${o.base}/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    await o.close();
    // the stalled body breaks off when the origin stops; nothing is left open
    await assert.rejects(reading);
    assert.deepEqual(o.requests.map((r) => r.status), [206, 200, 500, 200, 200, 404]);
  } finally {
    await o.close();
  }
});
