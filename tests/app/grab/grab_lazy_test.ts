/**
 * `grab` without --to needs no login and loads no GramJS: the grab use case's static imports stop
 * short of lib/telegram and npm:telegram (send_grabbed.ts, which has them, is imported only for --to).
 */
import assert from "node:assert/strict";

const REPO = new URL("../../../", import.meta.url);

Deno.test("grab's static imports reach no lib/telegram and no npm:telegram", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("lib/app/grab/grab.ts", REPO).pathname],
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
  const stack = [...info.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (d.code?.specifier && !d.isDynamic) stack.push(d.code.specifier);
    }
  }
  const heavy = [...seen].filter((s) =>
    s.includes("/lib/telegram/") || s.startsWith("npm:") && /telegram/.test(s)
  );
  assert.deepEqual(heavy, [], "loaded by every grab; import it only for --to");
  assert.ok([...seen].some((s) => s.endsWith("lib/app/grab/grab_item.ts")), "the walk reached the step");
});
