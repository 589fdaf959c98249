/**
 * `deno task test`: static checks (fmt, lint, type check, boundaries), the test suite, then the
 * secrets audit over the suite's recorded output. Ends with one line `N passed, N failed`.
 */
const stages: Array<{ name: string; args: string[]; tests: boolean }> = [
  { name: "fmt", args: ["fmt", "--check"], tests: false },
  { name: "lint", args: ["lint"], tests: false },
  { name: "check", args: ["task", "--quiet", "check"], tests: false },
  { name: "boundaries", args: ["run", "-A", "scripts/check_boundaries.ts"], tests: false },
  {
    name: "tests",
    args: ["test", "-A", "--unstable-kv", "--parallel", "--ignore=tests/audit", "tests/", ...Deno.args],
    tests: true,
  },
  { name: "audit", args: ["test", "-A", "tests/audit/"], tests: true },
];

let passed = 0;
let failed = 0;
const root = new URL("..", import.meta.url).pathname;
await Deno.remove(`${root}.cache/test-runs`, { recursive: true }).catch(() => {});
for (const stage of stages) {
  const out = await _run(stage.args);
  if (!stage.tests) {
    out.code === 0 ? passed++ : failed++;
    console.log(`${stage.name}: ${out.code === 0 ? "ok" : "FAILED"}`);
    continue;
  }
  const m = [...out.text.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)].at(-1);
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  // A runner that crashed or printed no summary counts as one failure, never as silence.
  if (!m || (out.code !== 0 && Number(m[2]) === 0)) failed++;
}
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed > 0 ? 1 : 0);

async function _run(args: string[]): Promise<{ code: number; text: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const dec = new TextDecoder();
  let text = "";
  for await (const chunk of child.stdout) {
    const s = dec.decode(chunk, { stream: true });
    text += s;
    await Deno.stdout.write(chunk);
  }
  const { code } = await child.status;
  return { code, text };
}
