/**
 * `deno task check` type-checks the worker entries a second time under the worker lib
 * (deno.worker.json): their globals are a worker's (`self.postMessage(msg, transfer)`, no
 * `alert` or `window`), which the main check under deno.window cannot see. That config repeats
 * the compiler options, so this keeps it in step with deno.json.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

Deno.test("deno.worker.json is deno.json's compiler options under the worker lib, and the check task runs it", async () => {
  const main = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const worker = JSON.parse(await Deno.readTextFile(new URL("deno.worker.json", ROOT)));
  const { lib, ...options } = worker.compilerOptions;
  assert.deepEqual(lib, ["deno.worker", "deno.unstable"]);
  assert.deepEqual(options, main.compilerOptions, "same options as deno.json besides lib");
  assert.equal(worker.importMap, "./deno.json", "the same imports");
  assert.equal(worker.nodeModulesDir, main.nodeModulesDir);
  const check: string = main.tasks.check;
  assert.match(
    check,
    /deno check --config deno\.worker\.json 'workers\/\*\*\/\*\.ts' 'tests\/\*\*\/\*_worker\.ts'/,
  );
  // worker entries are not checked as window code (main-thread code never imports them)
  assert.doesNotMatch(check.split("&&")[0], /workers\//);
});
