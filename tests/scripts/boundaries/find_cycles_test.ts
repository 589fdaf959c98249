import assert from "node:assert/strict";
import { findCycles } from "../../../scripts/boundaries/find_cycles.ts";

Deno.test("findCycles returns one shortest cycle per tangle", () => {
  const g = new Map([["a", ["b"]], ["b", ["c", "a"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]]);
  assert.deepEqual(findCycles(g), [["a", "b", "a"], ["d", "d"]]);
  assert.deepEqual(findCycles(new Map([["a", ["b"]], ["b", []]])), []);
});
