import assert from "node:assert/strict";
import { type FailureTally, formatTally, parseFailures, tallyFailures } from "../../scripts/test_failures.ts";

// Shaped like `NO_COLOR=1 deno test --parallel` output (deno 2.9).
const OUTPUT = `./a_test.ts => passes ... ok (964µs)
./a_test.ts => fails here ... FAILED (1ms)
Uncaught error from ./b_test.ts FAILED

 ERRORS 

fails here => ./a_test.ts:2:6
error: Error: boom line1
line2
Deno.test("fails here", () => { throw new Error("boom line1\\nline2"); });
                                      ^
    at file:///tmp/a_test.ts:2:39

steps ... inner bad => ./a_test.ts:3:43
error: Error: stepfail

./b_test.ts (uncaught error)
error: Error: uncaught!

 FAILURES 

fails here => ./a_test.ts:2:6
steps ... inner bad => ./a_test.ts:3:43
./b_test.ts (uncaught error)

FAILED | 1 passed | 3 failed (1 step) (588ms)
`;

Deno.test("parseFailures names every failed test with the first lines of its error", () => {
  assert.deepEqual(parseFailures(OUTPUT), [
    {
      test: "fails here => ./a_test.ts:2:6",
      lines: [
        "error: Error: boom line1",
        "line2",
        'Deno.test("fails here", () => { throw new Error("boom line1\\nline2"); });',
        "                                      ^",
      ],
    },
    { test: "steps ... inner bad => ./a_test.ts:3:43", lines: ["error: Error: stepfail"] },
    { test: "./b_test.ts (uncaught error)", lines: ["error: Error: uncaught!"] },
  ]);
});

Deno.test("parseFailures finds nothing in a passing run", () => {
  assert.deepEqual(
    parseFailures("./a_test.ts => passes ... ok (1ms)\n\nok | 1 passed | 0 failed (5ms)\n"),
    [],
  );
});

Deno.test("the tally counts each test over runs, most frequent first, with its logs", () => {
  const tally = new Map<string, FailureTally>();
  const [a, b] = parseFailures(OUTPUT);
  tallyFailures(tally, [a, b], "run-1/output.log");
  tallyFailures(tally, [b], "run-3/output.log");
  assert.deepEqual(
    [...tally.values()].map((t) => [t.test, t.count, t.logs]),
    [
      [a.test, 1, ["run-1/output.log"]],
      [b.test, 2, ["run-1/output.log", "run-3/output.log"]],
    ],
  );
  const text = formatTally(tally, 5);
  assert.ok(text.indexOf(b.test) < text.indexOf(a.test), text);
  assert.match(text, /^ {4}2 {2}steps \.\.\. inner bad/m);
  assert.match(text, /\| error: Error: stepfail/);
  assert.equal(formatTally(new Map(), 3), "no test failed in 3 run(s)");
});
