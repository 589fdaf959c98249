/** Range header parsing against RFC 9110 §14.1.2's examples and the edge cases servers test. */
import assert from "node:assert/strict";
import { coalesceRanges, parseRange } from "../../lib/serve/range.ts";

const r = (start: number, end: number) => ({ start, end });
const ranges = (...rs: Array<{ start: number; end: number }>) => ({ kind: "ranges", ranges: rs });
const IGNORE = { kind: "ignore" };
const NONE = { kind: "unsatisfiable" };

Deno.test("range: RFC 9110 §14.1.2 examples on a 10000-byte representation", () => {
  assert.deepEqual(parseRange("bytes=0-499", 10000), ranges(r(0, 499)));
  assert.deepEqual(parseRange("bytes=500-999", 10000), ranges(r(500, 999)));
  assert.deepEqual(parseRange("bytes=-500", 10000), ranges(r(9500, 9999)));
  assert.deepEqual(parseRange("bytes=9500-", 10000), ranges(r(9500, 9999)));
  assert.deepEqual(parseRange("bytes=0-0,-1", 10000), ranges(r(0, 0), r(9999, 9999)));
  assert.deepEqual(
    parseRange("bytes= 0-999, 4500-5499, -1000", 10000),
    ranges(
      r(0, 999),
      r(4500, 5499),
      r(9000, 9999),
    ),
  );
  assert.deepEqual(parseRange("bytes=500-600,601-999", 10000), ranges(r(500, 600), r(601, 999)));
  assert.deepEqual(parseRange("bytes=500-700,601-999", 10000), ranges(r(500, 700), r(601, 999)));
});

Deno.test("range: suffix longer than the file selects the whole file", () => {
  assert.deepEqual(parseRange("bytes=-20000", 10000), ranges(r(0, 9999)));
  assert.deepEqual(parseRange("bytes=-1", 1), ranges(r(0, 0)));
});

Deno.test("range: a last-pos past the end is clamped; a first-pos past the end is unsatisfiable", () => {
  assert.deepEqual(parseRange("bytes=9000-20000", 10000), ranges(r(9000, 9999)));
  assert.deepEqual(parseRange("bytes=10000-", 10000), NONE);
  assert.deepEqual(parseRange("bytes=10000-10005", 10000), NONE);
  assert.deepEqual(parseRange("bytes=-0", 10000), NONE);
  // an unsatisfiable range among satisfiable ones is dropped (§14.1.1)
  assert.deepEqual(parseRange("bytes=20000-,0-9", 10000), ranges(r(0, 9)));
});

Deno.test("range: the last bytes of a file (what players ask first)", () => {
  assert.deepEqual(parseRange("bytes=9999-", 10000), ranges(r(9999, 9999)));
  assert.deepEqual(parseRange("bytes=9999-9999", 10000), ranges(r(9999, 9999)));
  assert.deepEqual(parseRange("bytes=-1", 10000), ranges(r(9999, 9999)));
});

Deno.test("range: zero-length representation", () => {
  assert.deepEqual(parseRange("bytes=0-", 0), NONE);
  assert.deepEqual(parseRange("bytes=0-0", 0), NONE);
  // a suffix range selects the (empty) whole: served as a 200
  assert.deepEqual(parseRange("bytes=-5", 0), IGNORE);
});

Deno.test("range: malformed, invalid or other units are ignored", () => {
  for (
    const h of [
      "bytes=5-2", // last-pos < first-pos: the whole set is invalid
      "bytes=0-1,5-2",
      "items=0-5",
      "bytes",
      "bytes=",
      "bytes=,",
      "bytes=abc",
      "bytes=1-2-3",
      "bytes=-",
      "bytes=0x10-20",
      "bytes=+1-2",
      "bytes=1.5-2",
      "bytes=--1",
      "bytes=99999999999999999-",
      "",
    ]
  ) {
    assert.deepEqual(parseRange(h, 10000), IGNORE, h);
  }
  assert.deepEqual(parseRange(null, 10000), IGNORE);
});

Deno.test("range: unit is case-insensitive, whitespace around elements and empty elements are allowed", () => {
  assert.deepEqual(parseRange("Bytes=0-1", 10), ranges(r(0, 1)));
  assert.deepEqual(parseRange("BYTES=0-1", 10), ranges(r(0, 1)));
  assert.deepEqual(parseRange("bytes=0-1 ,\t2-3", 10), ranges(r(0, 1), r(2, 3)));
  assert.deepEqual(parseRange("bytes=0-1,,2-3,", 10), ranges(r(0, 1), r(2, 3)));
  // whitespace inside a range-spec is not allowed
  assert.deepEqual(parseRange("bytes=0 - 1", 10), IGNORE);
});

Deno.test("range: more than 100 ranges are abuse and ignored", () => {
  const many = Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(",");
  assert.deepEqual(parseRange(`bytes=${many}`, 10000), IGNORE);
});

Deno.test("coalesce: overlapping and adjacent ranges merge, disjoint ones stay, order by start", () => {
  assert.deepEqual(coalesceRanges([r(500, 600), r(601, 999)]), [r(500, 999)]);
  assert.deepEqual(coalesceRanges([r(500, 700), r(601, 999)]), [r(500, 999)]);
  assert.deepEqual(coalesceRanges([r(50, 60), r(0, 9)]), [r(0, 9), r(50, 60)]);
  assert.deepEqual(coalesceRanges([r(0, 9), r(2, 3), r(9, 9)]), [r(0, 9)]);
  assert.deepEqual(coalesceRanges([r(0, 0), r(2, 2)]), [r(0, 0), r(2, 2)]);
});
