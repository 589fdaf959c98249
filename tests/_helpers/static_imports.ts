/** What a module loads before any of its code runs: its static imports, followed to the end (`deno info`). */
import assert from "node:assert/strict";

/** The specifiers `root` (a path in the repository) loads statically: local files and npm:/node: ones. */
export async function staticImports(root: string, repo: URL): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(root, repo).pathname],
    cwd: repo.pathname,
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
  const stack = [...info.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      const to = d.code?.specifier;
      if (!to || d.isDynamic) continue;
      if (to.startsWith("npm:")) seen.add(to);
      else stack.push(to);
    }
  }
  return seen;
}
