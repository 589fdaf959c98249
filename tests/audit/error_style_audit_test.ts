/**
 * Runs after the rest of the suite (scripts/run_tests.ts): every error message any recorded CLI
 * run printed (stderr or JSON events) follows docs/architecture.md, errors: a capital first, no final period.
 */
import assert from "node:assert/strict";
import { readRunRecords, RECORD_DIR } from "../_helpers/run_cli.ts";
import { findStyleProblems } from "../_helpers/error_style.ts";

Deno.test("every recorded error message starts with a capital and has no final period", async () => {
  const records = await readRunRecords();
  assert.ok(records.length > 0, `no run records in ${RECORD_DIR}: run the suite first (deno task test)`);
  const withErrors = records.filter((r) =>
    /^error: /m.test(r.record.stderr) || r.record.stdout.includes('"error"')
  );
  assert.ok(withErrors.length > 0, "no recorded run printed an error: the audit would check nothing");
  const problems = findStyleProblems(records);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} message(s) break the rule:\n${JSON.stringify(problems, null, 2)}`,
  );
});
