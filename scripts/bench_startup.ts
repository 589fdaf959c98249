/**
 * `deno task bench startup [--runs N] [--json]`: how long tgpipe takes to start, against an empty
 * `deno run` script measured in the same run (the yardstick; issue goal: `--version` and `--help`
 * within 2×). Medians of N runs each (default 15), runs interleaved so machine noise hits all alike.
 */
const REPO = new URL("../", import.meta.url).pathname;
const runs = Number(_flag("--runs") ?? 15);
const json = Deno.args.includes("--json");

const empty = await Deno.makeTempFile({ suffix: ".ts" });
await Deno.writeTextFile(empty, "console.log(1);\n");
const cases: Record<string, string[]> = {
  empty: ["run", empty],
  version: ["run", "-A", "--unstable-kv", `${REPO}main.ts`, "--version"],
  help: ["run", "-A", "--unstable-kv", `${REPO}main.ts`, "--help"],
  "export --help": ["run", "-A", "--unstable-kv", `${REPO}main.ts`, "export", "--help"],
  "config show": ["run", "-A", "--unstable-kv", `${REPO}main.ts`, "config", "show"],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) await _time(args); // warm the module cache
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) times[name].push(await _time(args));
}
await Deno.remove(empty);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.empty);
const rows = Object.entries(times).map(([name, xs]) => ({
  case: name,
  median_ms: Math.round(median(xs)),
  ratio_to_empty: Number((median(xs) / base).toFixed(2)),
}));
if (json) console.log(JSON.stringify({ bench: "startup", runs, rows }));
else {
  console.log(`startup, median of ${runs} runs (empty deno run = ${Math.round(base)} ms)`);
  for (const r of rows) {
    console.log(`  ${r.case.padEnd(14)} ${String(r.median_ms).padStart(5)} ms  ${r.ratio_to_empty}×`);
  }
}

async function _time(args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed (${out.code})`);
  return performance.now() - t0;
}

function _flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
