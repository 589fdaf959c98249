/**
 * Start-up stays small (docs/startup-performance.md): main.ts statically loads only the version,
 * so `--version` prints before anything else loads; the command tree (lib/cli/program.ts, what
 * `--help` needs) statically loads the CLI, progress and core code plus commander, and no other npm:
 * package nor node: builtin (either costs about an empty `deno run` by itself). A command
 * loads its use case (and GramJS, sharp, workers) only when it runs, through `await import()` in
 * its action; a static import of lib/app from lib/cli fails here.
 */
import assert from "node:assert/strict";
import { staticImports } from "../_helpers/static_imports.ts";

const REPO = new URL("../../", import.meta.url);

/** What `from` loads before its own code runs: repo files (relative) and outside specifiers. */
async function _staticGraph(from: string): Promise<{ local: string[]; outside: string[] }> {
  const seen = await staticImports(from, REPO);
  const local = [...seen].filter((s) => s.startsWith(REPO.href)).map((s) => s.slice(REPO.href.length)).sort();
  const outside = [...seen].filter((s) => !s.startsWith(REPO.href)).sort();
  return { local, outside };
}

Deno.test("main.ts statically loads only lib/core/version.ts (the --version fast path)", async () => {
  const g = await _staticGraph("main.ts");
  assert.deepEqual(g.local, ["lib/core/version.ts", "main.ts"]);
  assert.deepEqual(g.outside, []);
});

Deno.test("the help fast path statically loads only its generated table", async () => {
  const g = await _staticGraph("lib/cli/plain_help.ts");
  assert.deepEqual(g.local, ["lib/cli/help_texts.ts", "lib/cli/plain_help.ts"]);
  assert.deepEqual(g.outside, []);
});

Deno.test("the command tree statically loads lib/cli, lib/progress, lib/core and commander only", async () => {
  const g = await _staticGraph("lib/cli/program.ts");
  const heavy = g.local.filter((p) => !/^lib\/(cli|progress|core)\//.test(p));
  assert.deepEqual(heavy, [], "loaded at start-up; import them inside the command's action instead");
  const outside = g.outside.map((s) => s.replace(/@[\d.]+$/, ""));
  assert.deepEqual(
    outside,
    ["npm:@commander-js/extra-typings"],
    "no other npm: package nor node: builtin before argv is parsed",
  );
  assert.ok(g.local.includes("lib/cli/commands/export.ts"), "the walk reached the commands");
});

Deno.test("the Telegram warm-up statically loads nothing: it imports the Telegram stack only for a Telegram command", async () => {
  const g = await _staticGraph("lib/cli/warm_up.ts");
  assert.deepEqual(g.local, ["lib/cli/warm_up.ts"]);
  assert.deepEqual(g.outside, []);
});
