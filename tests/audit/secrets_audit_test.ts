/**
 * Runs after the rest of the suite (scripts/run_tests.ts): every CLI run recorded by
 * tests/_helpers/run_cli.ts must keep its secrets out of stdout and stderr.
 */
import assert from "node:assert/strict";
import { readRunRecords, RECORD_DIR } from "../_helpers/run_cli.ts";
import { findLeaks } from "../_helpers/find_leaks.ts";

Deno.test("no recorded CLI output contains a secret", async () => {
  const records = await readRunRecords();
  // An empty audit would pass whatever the CLI printed: the suite must have recorded runs.
  assert.ok(records.length > 0, `no run records in ${RECORD_DIR}: run the suite first (deno task test)`);
  assert.ok(records.some((r) => r.record.secrets.length > 0), "no recorded run declared any secret");
  const leaks = findLeaks(records);
  assert.deepEqual(leaks, [], `${leaks.length} secret leak(s):\n${JSON.stringify(leaks, null, 2)}`);
});
