/**
 * Start-up stays small (docs/startup-performance.md): main.ts statically loads only the version,
 * so `--version` prints before anything else loads; the command tree (lib/cli/program.ts, what
 * `--help` needs) statically loads the CLI, progress and core code plus commander, and no other npm:
 * package nor node: builtin (either costs about an empty `deno run` by itself). A command
 * loads its use case (and GramJS, sharp, workers) only when it runs, through `await import()` in
 * its action; a static import of lib/app from lib/cli fails here.
 */
import assert from "node:assert/strict";

const REPO = new URL("../../", import.meta.url);

interface Info {
  roots: string[];
  modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
}

async function _info(): Promise<Info> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("main.ts", REPO).pathname],
    cwd: REPO.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)) as Info;
}

/** What `from` loads before its own code runs: repo files (relative) and outside specifiers. */
function _staticGraph(info: Info, from: string): { local: string[]; outside: string[] } {
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const outside = new Set<string>();
  const stack = [new URL(from, REPO).href];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      const to = d.code?.specifier;
      if (!to || d.isDynamic) continue;
      if (to.startsWith(REPO.href)) stack.push(to);
      else outside.add(to);
    }
  }
  const local = [...seen].map((s) => s.slice(REPO.href.length)).sort();
  return { local, outside: [...outside].sort() };
}

Deno.test("main.ts statically loads only lib/core/version.ts (the --version fast path)", async () => {
  const g = _staticGraph(await _info(), "main.ts");
  assert.deepEqual(g.local, ["lib/core/version.ts", "main.ts"]);
  assert.deepEqual(g.outside, []);
});

Deno.test("the command tree statically loads lib/cli, lib/progress, lib/core and commander only", async () => {
  const g = _staticGraph(await _info(), "lib/cli/program.ts");
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
