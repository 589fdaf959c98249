import assert from "node:assert/strict";
import { HeapTrimmer } from "../../lib/core/heap_trim.ts";
import { mallocTrim } from "../../lib/core/malloc_trim.ts";

Deno.test("HeapTrimmer collects once per threshold of bytes moved, summed over items", () => {
  let calls = 0;
  let native = 0;
  const t = new HeapTrimmer(100, () => void calls++, () => () => void native++);
  t.progress("a", 0);
  t.progress("b", 40); // first sight of b: a resumed item's earlier bytes do not count
  t.progress("a", 60);
  assert.equal(calls, 0);
  t.progress("b", 90); // 60 + 50
  assert.equal(calls, 1);
  t.progress("a", 60); // no new bytes
  t.done("a");
  t.progress("a", 500); // a new item under the same id starts from its first event
  assert.equal(calls, 1);
  t.progress("b", 190);
  assert.equal(calls, 2);
  assert.equal(t.runs, 2);
  assert.equal(native, 2, "the C heap is trimmed after each collection");
});

Deno.test("mallocTrim reaches glibc's malloc_trim here (Linux, FFI granted) and can be called", () => {
  const trim = mallocTrim();
  assert.equal(typeof trim, "function");
  trim!();
  assert.equal(mallocTrim(), trim, "opened once");
});

Deno.test("HeapTrimmer is a no-op without an exposed gc", () => {
  const t = new HeapTrimmer(1, undefined);
  t.progress("a", 0);
  t.progress("a", 1e9);
  assert.equal(t.runs, 0);
});
