/**
 * Start-up stays small: what main.ts loads before it parses argv is the CLI, progress and core
 * code plus commander. A command loads its use case (and GramJS, sharp, workers) only when it runs,
 * through `await import()` in its action; a static import of lib/app from lib/cli fails here.
 */
import assert from "node:assert/strict";
import { staticImports } from "../_helpers/static_imports.ts";

const REPO = new URL("../../", import.meta.url);

Deno.test("main.ts statically loads only lib/cli, lib/progress, lib/core and commander", async () => {
  const seen = await staticImports("main.ts", REPO);
  const npm = [...seen].filter((s) => s.startsWith("npm:")).map((s) => s.replace(/@[\d.]+$/, ""));
  const local = [...seen].filter((s) => s.startsWith(REPO.href)).map((s) => s.slice(REPO.href.length));
  const heavy = local.filter((p) => p !== "main.ts" && !/^lib\/(cli|progress|core)\//.test(p));
  assert.deepEqual(heavy, [], "loaded at start-up; import them inside the command's action instead");
  assert.deepEqual(npm, ["npm:@commander-js/extra-typings"]);
  assert.ok(local.includes("lib/cli/program.ts"), "the walk reached the command tree");
});
