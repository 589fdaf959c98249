/**
 * Reads `deno test` output (NO_COLOR) for the tests that failed and how, and tallies failures over
 * repeated runs (scripts/run_tests.ts --repeat) into a table.
 */

/** One failed test (or a test module's uncaught error) in one run. */
export interface TestFailure {
  /** `name => ./file.ts:line:col` as deno prints it, or `./file.ts (uncaught error)`. */
  test: string;
  /** The first lines of its error, as printed in the ERRORS section. */
  lines: string[];
}

/** How often one test failed over several runs, with its first failure's lines and logs. */
export interface FailureTally {
  test: string;
  count: number;
  lines: string[];
  logs: string[];
}

const HEAD_LINES = 4;

/**
 * The failures one `deno test` run reports: each test listed under FAILURES, with the first
 * lines of its ERRORS entry. A run that printed no FAILURES section yields no entries.
 *
 * @example
 * ```ts
 * parseFailures(" ERRORS \n\nt => ./a_test.ts:1:6\nerror: boom\n\n FAILURES \n\nt => ./a_test.ts:1:6\n");
 * // [{ test: "t => ./a_test.ts:1:6", lines: ["error: boom"] }]
 * ```
 */
export function parseFailures(output: string): TestFailure[] {
  const text = output.replaceAll("\r", "");
  const failAt = text.lastIndexOf("\n FAILURES \n");
  if (failAt < 0) return [];
  const names = text.slice(failAt + 12).split("\n").map((l) => l.trim());
  const tests = names.slice(0, _firstBlankAfterStart(names)).filter((l) => l !== "");
  const errAt = text.lastIndexOf("\n ERRORS \n", failAt);
  const errors = errAt < 0 ? "" : text.slice(errAt + 10, failAt);
  return tests.map((test) => ({ test, lines: _errorHead(errors, test) }));
}

/** Adds one run's failures to `tally` (keyed by test), remembering the run's log path. */
export function tallyFailures(tally: Map<string, FailureTally>, failures: TestFailure[], log: string): void {
  for (const f of failures) {
    const t = tally.get(f.test) ?? { test: f.test, count: 0, lines: f.lines, logs: [] };
    t.count++;
    t.logs.push(log);
    tally.set(f.test, t);
  }
}

/** The tally as text: most frequent first, each test with its count, first lines and logs. */
export function formatTally(tally: Map<string, FailureTally>, runs: number): string {
  if (tally.size === 0) return `no test failed in ${runs} run(s)`;
  const rows = [...tally.values()].sort((a, b) => b.count - a.count || a.test.localeCompare(b.test));
  const out = [`tests that failed at least once in ${runs} run(s):`, "", "count  test"];
  for (const r of rows) {
    out.push(`${String(r.count).padStart(5)}  ${r.test}`);
    for (const l of r.lines) out.push(`       | ${l.slice(0, 160)}`);
    out.push(`       logs: ${r.logs.join(", ")}`);
  }
  return out.join("\n");
}

function _firstBlankAfterStart(lines: string[]): number {
  let i = 0;
  while (i < lines.length && lines[i] === "") i++;
  const end = lines.indexOf("", i);
  return end < 0 ? lines.length : end;
}

// An ERRORS entry starts with the same header line as in FAILURES and ends at a blank line.
function _errorHead(errors: string, test: string): string[] {
  const lines = errors.split("\n");
  const at = lines.findIndex((l) => l.trim() === test);
  if (at < 0) return [];
  const head: string[] = [];
  for (let i = at + 1; i < lines.length && head.length < HEAD_LINES; i++) {
    if (lines[i].trim() === "") break;
    head.push(lines[i].trimEnd());
  }
  return head;
}
