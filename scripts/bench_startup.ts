/**
 * `deno task bench startup [--runs N] [--json] [--repo DIR] [--before DIR]`: how long tgpipe takes to
 * start, against an empty `deno run` script measured in the same run (the yardstick; issue goals:
 * `--version` and `--help` within 2×, a command's first Telegram request within 0.3 s of process start).
 * Medians of N runs each (default 15), runs interleaved so machine noise hits all alike. tgpipe runs
 * with the `deno run` flags of the `tgpipe` task in DIR's deno.json (default this checkout), so the
 * bench measures what users run; --repo measures another checkout the same way. --before DIR measures
 * a second checkout (e.g. the commit before) in the same run, interleaved with the first: its rows
 * are named "before: ...", and `ratio_to_before` compares each case with its own.
 *
 * "whoami first RPC" is the time from spawning `tgpipe whoami` to the first RPC the fake DC sees
 * (its trace log, in this process); "whoami" is the whole run. "chats" likewise: a command that loads
 * GramJS after its first request (whoami answers from the early session check without it). "export"
 * and "download" (a one-file chat) also check their input and open the progress store first.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const REPO = _dir(_flag("--repo")) ?? new URL("../", import.meta.url).pathname;
const BEFORE = _dir(_flag("--before"));
const runs = Number(_flag("--runs") ?? 15);
const json = Deno.args.includes("--json");
const RUN_FLAGS = await _taskRunFlags(REPO);

const empty = await Deno.makeTempFile({ suffix: ".ts" });
await Deno.writeTextFile(empty, "console.log(1);\n");
let firstRpcAt: number | undefined;
const tg = await startFakeTelegram({
  // one small file, for download
  world: "gen:chats=1,messages=2,files=1,file_size=64KB,forum=0,comments=0,left=0",
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
/** A case: what to run (in `cwd`), and where its times go. */
interface Case {
  name: string;
  args: string[];
  cwd: string;
}
const cases: Case[] = [{ name: "empty", args: ["run", empty], cwd: REPO }, ...await _tgpipeCases(REPO, "")];
if (BEFORE) cases.push(...await _tgpipeCases(BEFORE, "before: "));
const times: Record<string, number[]> = {};
for (const c of cases) {
  times[c.name] = [];
  if (_telegram(c.name)) times[`${c.name} first RPC`] = [];
}
try {
  // warm the module cache
  for (const c of cases) await _time(c, _telegram(c.name) ? whoamiEnv : {});
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      firstRpcAt = undefined;
      const t0 = performance.now();
      const telegram = _telegram(c.name);
      times[c.name].push(await _time(c, telegram ? whoamiEnv : {}) - t0);
      if (!telegram) continue;
      if (firstRpcAt === undefined) throw new Error(`${c.name} ran without the fake DC seeing an RPC`);
      times[`${c.name} first RPC`].push(firstRpcAt - t0);
    }
  }
} finally {
  await tg.close();
  await Deno.remove(empty);
  await Deno.remove(home, { recursive: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.empty);
const rows = Object.entries(times).map(([name, xs]) => {
  const before = BEFORE && !name.startsWith("before: ") ? times[`before: ${name}`] : undefined;
  return {
    case: name,
    median_ms: Math.round(median(xs)),
    ratio_to_empty: Number((median(xs) / base).toFixed(2)),
    ...(before ? { ratio_to_before: Number((median(xs) / median(before)).toFixed(2)) } : {}),
  };
});
if (json) console.log(JSON.stringify({ bench: "startup", runs, run_flags: RUN_FLAGS, before: BEFORE, rows }));
else {
  console.log(`startup, median of ${runs} runs (empty deno run = ${Math.round(base)} ms)`);
  console.log(`  tgpipe = deno run ${RUN_FLAGS.join(" ")} ${REPO}main.ts`);
  if (BEFORE) console.log(`  before = ${BEFORE}main.ts (its own tgpipe task flags)`);
  for (const r of rows) {
    const vs = r.ratio_to_before === undefined ? "" : `  ${r.ratio_to_before}× before`;
    console.log(`  ${r.case.padEnd(24)} ${String(r.median_ms).padStart(5)} ms  ${r.ratio_to_empty}×${vs}`);
  }
}

/** The tgpipe cases of the checkout in `repo`, run with the flags of its own tgpipe task. */
async function _tgpipeCases(repo: string, prefix: string): Promise<Case[]> {
  const flags = await _taskRunFlags(repo);
  const tgpipe = (...args: string[]) => ["run", ...flags, `${repo}main.ts`, ...args];
  // this checkout's output and progress store
  const own = `${home}/${prefix ? "b" : "a"}`;
  const named: [string, string[]][] = [
    ["version", tgpipe("--version")],
    ["help", tgpipe("--help")],
    ["export --help", tgpipe("export", "--help")],
    ["help export", tgpipe("help", "export")],
    ["config show", tgpipe("config", "show")],
    ["whoami", tgpipe("whoami")],
    ["chats", tgpipe("chats")],
    // commands that check their input and open the progress store before the first request; each
    // checkout writes its own output and store (runs after the first resume them: same requests)
    ["export", tgpipe("--kv", `${own}.kv`, "export", "@gen_channel_0", "--out", `${own}-export`)],
    ["download", tgpipe("--kv", `${own}.kv`, "dl", "https://t.me/gen_channel_0", "--out", `${own}-dl`)],
  ];
  return named.map(([name, args]) => ({ name: prefix + name, args, cwd: repo }));
}

/** Whether the case talks to the fake DC (its first RPC is timed). */
function _telegram(name: string): boolean {
  return ["whoami", "chats", "export", "download"].includes(name.replace(/^before: /, ""));
}

/** Runs deno with args to the end; returns when it ended (performance.now()). */
async function _time(c: Case, env: Record<string, string> = {}): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: c.args,
    cwd: c.cwd,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdout: "null",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`deno ${c.args.join(" ")} failed (${out.code})`);
  return performance.now();
}

/** The `deno run` flags of the tgpipe task in `repo` (between `deno run` and `main.ts`). */
async function _taskRunFlags(repo: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${repo}deno.json`));
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

/** A directory given on the command line, with one final slash. */
function _dir(path: string | undefined): string | undefined {
  return path?.replace(/\/?$/, "/");
}

function _flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
