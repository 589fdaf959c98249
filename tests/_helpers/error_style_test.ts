import assert from "node:assert/strict";
import { findStyleProblems, styleProblem } from "./error_style.ts";

Deno.test("styleProblem accepts capitals, tool names and name: prefixes", () => {
  for (
    const ok of [
      "Chat not found: @x",
      'No job "x" in /tmp/p.kv; see `tgpipe status`',
      "ffmpeg exited with code 1: end of file",
      "transcribe: ffmpeg exited with code 1",
      "--limit must be a positive integer",
      "2 of 3 items failed",
    ]
  ) assert.equal(styleProblem(ok), undefined, ok);
});

Deno.test("styleProblem rejects lower-case starts, final periods and several lines", () => {
  assert.equal(styleProblem("unknown command 'x'"), "does not start with a capital");
  assert.equal(styleProblem("Chat not found."), "ends with a period");
  assert.equal(styleProblem("First line\nsecond"), "more than one line");
});

Deno.test("findStyleProblems reads stderr error lines and JSON error objects", () => {
  const record = {
    args: [],
    secrets: [],
    stderr: "note: fine\nerror: unknown option '--x'\nerror: Good one\n",
    stdout: [
      JSON.stringify({ type: "error", error: { code: "X", message: "Bad thing." } }),
      JSON.stringify({ type: "item_failed", error: { code: "X", message: "Fine" } }),
      "not json",
    ].join("\n"),
  };
  const found = findStyleProblems([{ file: "r.json", record }]);
  assert.deepEqual(found.map((p) => [p.where, p.problem]), [
    ["stderr", "does not start with a capital"],
    ["event", "ends with a period"],
  ]);
});
