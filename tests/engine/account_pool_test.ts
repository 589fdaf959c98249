import assert from "node:assert/strict";
import { type FileAccount, fileLanes, ownFirst } from "../../lib/engine/account_pool.ts";
import type { FileSource } from "../../lib/engine/file_source.ts";

function _account(label: string, until = 0): FileAccount<string> & { until: number } {
  const a = {
    label,
    until,
    pausedUntil: () => a.until,
    lane: (file: string) => ({
      pausedUntil: a.pausedUntil,
      source: (): FileSource => ({ key: `${label}:${file}`, size: 0, fetchPart: () => Promise.reject() }),
    }),
  };
  return a;
}

Deno.test("ownFirst gives items to the accounts in turn, the item's own first, then every other one", () => {
  const [a, b, c] = [_account("a"), _account("b"), _account("c")];
  const labels = (n: number) => ownFirst([a, b, c], n).map((x) => x.label).join("");
  assert.deepEqual([0, 1, 2, 3].map(labels), ["abc", "bac", "cab", "abc"]);
});

Deno.test("ownFirst gives no new item to an account in a flood wait while another is free", () => {
  const a = _account("a", Date.now() + 60_000);
  const b = _account("b");
  for (let n = 0; n < 4; n++) assert.deepEqual(ownFirst([a, b], n).map((x) => x.label), ["b", "a"]);
  // every account paused: they take turns again
  b.until = Date.now() + 30_000;
  assert.deepEqual([0, 1].map((n) => ownFirst([a, b], n)[0].label), ["a", "b"]);
  assert.throws(() => ownFirst([], 0), RangeError);
});

Deno.test("fileLanes makes one lane per account, in the given order, with its pause", () => {
  const a = _account("a", 123);
  const b = _account("b");
  const lanes = fileLanes(ownFirst([a, b], 1), "f1");
  assert.deepEqual(lanes.map((l) => l.source().key), ["b:f1", "a:f1"]);
  assert.deepEqual(lanes.map((l) => l.pausedUntil()), [0, 123]);
});
