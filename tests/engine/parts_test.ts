import assert from "node:assert/strict";
import { isValidRequest, MIB, planParts, smallestLimit } from "../../lib/engine/parts.ts";

Deno.test("every planned part obeys upload.getFile's rules and covers the file exactly once", () => {
  for (const size of [0, 1, 4095, 4096, 300_000, MIB - 1, MIB, MIB + 1, 10 * MIB + 12345]) {
    for (const partSize of [4096, 128 * 1024, 512 * 1024, MIB]) {
      const parts = planParts(size, { partSize });
      let next = 0;
      for (const p of parts) {
        assert.ok(isValidRequest(p.offset, p.limit), `size ${size} part ${JSON.stringify(p)}`);
        assert.equal(p.offset, next);
        next = p.offset + Math.min(partSize, size - p.offset);
      }
      assert.equal(next, size);
    }
  }
});

Deno.test("the last part uses the smallest valid limit", () => {
  const parts = planParts(MIB + 5000);
  assert.deepEqual(parts.at(-1), { index: 1, offset: MIB, limit: 8192 });
  assert.equal(smallestLimit(1), 4096);
  assert.equal(smallestLimit(MIB * 3), MIB);
});

Deno.test("invalid sizes and part sizes are rejected", () => {
  assert.throws(() => planParts(-1), RangeError);
  assert.throws(() => planParts(10, { partSize: 3000 }), RangeError);
  assert.throws(() => planParts(10, { partSize: 3 * 4096 }), RangeError);
  assert.equal(isValidRequest(MIB - 4096, 8192), false, "crosses a 1 MiB boundary");
  assert.equal(isValidRequest(100, 4096), false, "unaligned offset");
});
