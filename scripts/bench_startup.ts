/**
 * `deno task bench startup [--runs N] [--json] [--repo DIR]`: how long tgpipe takes to start, against
 * an empty `deno run` script measured in the same run (the yardstick; issue goals: `--version` and
 * `--help` within 2×, a command's first Telegram request within 0.3 s of process start). Medians of
 * N runs each (default 15), runs interleaved so machine noise hits all alike. tgpipe runs with the
 * `deno run` flags of the `tgpipe` task in DIR's deno.json (default this checkout), so the bench
 * measures what users run; --repo measures another checkout (e.g. the commit before) the same way.
 *
 * "whoami first RPC" is the time from spawning `tgpipe whoami` to the first RPC the fake DC sees
 * (its trace log, in this process); "whoami" is the whole run.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const REPO = _flag("--repo")?.replace(/\/?$/, "/") ?? new URL("../", import.meta.url).pathname;
const runs = Number(_flag("--runs") ?? 15);
const json = Deno.args.includes("--json");
const RUN_FLAGS = await _taskRunFlags();
const tgpipe = (...args: string[]) => ["run", ...RUN_FLAGS, `${REPO}main.ts`, ...args];

const empty = await Deno.makeTempFile({ suffix: ".ts" });
await Deno.writeTextFile(empty, "console.log(1);\n");
let firstRpcAt: number | undefined;
const tg = await startFakeTelegram({
  world: "gen:chats=1,messages=1",
  basePort: 0,
  trace: true,
  log: (line) => {
    if (firstRpcAt === undefined && line.includes("<- ")) firstRpcAt = performance.now();
  },
});
const home = await Deno.makeTempDir({ prefix: "tgpipe_bench_startup_" });
// whoami must not pick up the user's config file; DENO_DIR stays the real (warm) module cache
const whoamiEnv = {
  ...tg.env,
  DENO_DIR: await _denoDir(),
  XDG_CONFIG_HOME: `${home}/config`,
  XDG_DATA_HOME: `${home}/data`,
  XDG_STATE_HOME: `${home}/state`,
};
const cases: Record<string, string[]> = {
  empty: ["run", empty],
  version: tgpipe("--version"),
  help: tgpipe("--help"),
  "export --help": tgpipe("export", "--help"),
  "help export": tgpipe("help", "export"),
  "config show": tgpipe("config", "show"),
  whoami: tgpipe("whoami"),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
times["whoami first RPC"] = [];
try {
  // warm the module cache
  for (const [name, args] of Object.entries(cases)) await _time(args, name === "whoami" ? whoamiEnv : {});
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(cases)) {
      firstRpcAt = undefined;
      const t0 = performance.now();
      times[name].push(await _time(args, name === "whoami" ? whoamiEnv : {}) - t0);
      if (name !== "whoami") continue;
      if (firstRpcAt === undefined) throw new Error("whoami ran without the fake DC seeing an RPC");
      times["whoami first RPC"].push(firstRpcAt - t0);
    }
  }
} finally {
  await tg.close();
  await Deno.remove(empty);
  await Deno.remove(home, { recursive: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.empty);
const rows = Object.entries(times).map(([name, xs]) => ({
  case: name,
  median_ms: Math.round(median(xs)),
  ratio_to_empty: Number((median(xs) / base).toFixed(2)),
}));
if (json) console.log(JSON.stringify({ bench: "startup", runs, run_flags: RUN_FLAGS, rows }));
else {
  console.log(`startup, median of ${runs} runs (empty deno run = ${Math.round(base)} ms)`);
  console.log(`  tgpipe = deno run ${RUN_FLAGS.join(" ")} ${REPO}main.ts`);
  for (const r of rows) {
    console.log(`  ${r.case.padEnd(16)} ${String(r.median_ms).padStart(5)} ms  ${r.ratio_to_empty}×`);
  }
}

/** Runs deno with args to the end; returns when it ended (performance.now()). */
async function _time(args: string[], env: Record<string, string> = {}): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdout: "null",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed (${out.code})`);
  return performance.now();
}

/** The `deno run` flags of the tgpipe task (between `deno run` and `main.ts`). */
async function _taskRunFlags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${REPO}deno.json`));
  const words = String(config.tasks?.tgpipe ?? "").split(/\s+/).filter(Boolean);
  const main = words.indexOf("main.ts");
  if (words[0] !== "deno" || words[1] !== "run" || main < 0) {
    throw new Error(`Unexpected tgpipe task: ${config.tasks?.tgpipe}`);
  }
  return words.slice(2, main);
}

async function _denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

function _flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
