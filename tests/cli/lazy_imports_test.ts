/**
 * Start-up stays small: what main.ts loads before it parses argv is the CLI, progress and core
 * code plus commander. A command loads its use case (and GramJS, sharp, workers) only when it runs,
 * through `await import()` in its action; a static import of lib/app from lib/cli fails here.
 */
import assert from "node:assert/strict";

const REPO = new URL("../../", import.meta.url);

Deno.test("main.ts statically loads only lib/cli, lib/progress, lib/core and commander", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("main.ts", REPO).pathname],
    cwd: REPO.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const npm = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      const to = d.code?.specifier;
      if (!to || d.isDynamic) continue;
      if (to.startsWith("npm:")) npm.add(to.replace(/@[\d.]+$/, ""));
      else stack.push(to);
    }
  }
  const local = [...seen].filter((s) => s.startsWith(REPO.href)).map((s) => s.slice(REPO.href.length));
  const heavy = local.filter((p) => p !== "main.ts" && !/^lib\/(cli|progress|core)\//.test(p));
  assert.deepEqual(heavy, [], "loaded at start-up; import them inside the command's action instead");
  assert.deepEqual([...npm], ["npm:@commander-js/extra-typings"]);
  assert.ok(local.includes("lib/cli/program.ts"), "the walk reached the command tree");
});
