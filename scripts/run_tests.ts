/**
 * `deno task test`: static checks (fmt, lint, type check, boundaries), the test suite, then the
 * secrets audit over the suite's recorded output. Ends with one line `N passed, N failed`.
 *
 * Hunting flaky tests: `deno task test --repeat N [--filter PATTERN]...`
 * - `--repeat N` runs the tests N times in a row (the static checks are skipped: they do not
 *   flake), prints one line per run, keeps every failing run's full output under
 *   .cache/test-runs/<invocation>/run-<i>/output.log, and ends with a table of every test that
 *   failed at least once: its count, the first lines of its first failure, and the logs.
 * - `--filter PATTERN` (repeatable) narrows the tests: a PATTERN naming an existing file or
 *   directory (tests/e2e, tests/e2e/download_test.ts) selects those test files; any other PATTERN
 *   is passed on as deno test's `--filter` (a test-name substring or /regex/; at most one). With a
 *   filter the audit stage is skipped, since it needs the records of the whole suite.
 * - A repeated run that has not ended after --run-timeout minutes (default 30) is killed and
 *   counted as hung, so a hang never blocks the remaining runs.
 * Any other argument goes to the tests stage's `deno test` as before.
 *
 * Each run writes its CLI records (tests/_helpers/run_cli.ts) to its own directory, passed as
 * TGPIPE_TEST_RECORDS, so runs in other checkouts sharing .cache never see or delete them.
 */
import { type FailureTally, formatTally, parseFailures, tallyFailures } from "./test_failures.ts";

interface Stage {
  name: string;
  args: string[];
  tests: boolean;
}

const root = new URL("..", import.meta.url).pathname;
const opts = _parseArgs(Deno.args);
const paths = opts.paths.length > 0 ? opts.paths : ["tests/"];
const nameFilter = opts.names.length > 0 ? ["--filter", opts.names[0]] : [];
const testStage: Stage = {
  name: "tests",
  args: [
    "test",
    "-A",
    "--unstable-kv",
    "--parallel",
    "--ignore=tests/audit",
    ...nameFilter,
    ...paths,
    ...opts.rest,
  ],
  tests: true,
};
const staticStages: Stage[] = [
  { name: "fmt", args: ["fmt", "--check"], tests: false },
  { name: "lint", args: ["lint"], tests: false },
  { name: "check", args: ["task", "--quiet", "check"], tests: false },
  { name: "boundaries", args: ["run", "-A", "scripts/check_boundaries.ts"], tests: false },
];
const auditStage: Stage = { name: "audit", args: ["test", "-A", "tests/audit/"], tests: true };
const filtered = opts.paths.length > 0 || opts.names.length > 0;
const stages = [...(opts.repeat > 1 ? [] : staticStages), testStage, ...(filtered ? [] : [auditStage])];

const invocation = `${root}.cache/test-runs/${new Date().toISOString().replace(/[:.]/g, "-")}-${Deno.pid}`;
let passed = 0;
let failed = 0;
const tally = new Map<string, FailureTally>();
let failedRuns = 0;
for (let run = 1; run <= opts.repeat; run++) {
  const dir = `${invocation}/run-${run}`;
  const t0 = performance.now();
  const r = await _runOnce(dir, opts.repeat > 1 ? opts.runTimeoutMin * 60_000 : 0);
  passed += r.passed;
  failed += r.failed;
  if (r.failed === 0) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  } else {
    failedRuns++;
    const log = `${dir}/output.log`;
    // recreated: an older runner in another checkout sharing .cache may have removed test-runs/
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(log, r.output);
    const failures = parseFailures(r.output);
    if (r.hung) failures.push({ test: "(run hung: killed)", lines: [r.hung] });
    for (const s of r.failedStages) failures.push({ test: `(stage ${s} failed)`, lines: [] });
    if (failures.length === 0) failures.push({ test: "(failed, no test named)", lines: [] });
    tallyFailures(tally, failures, log.slice(root.length));
  }
  if (opts.repeat > 1) {
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(`run ${run}/${opts.repeat}: ${r.passed} passed, ${r.failed} failed (${secs} s)`);
  }
}
await Deno.remove(invocation).catch(() => {}); // only when empty: failing runs' logs stay
if (opts.repeat > 1) {
  console.log(`\n${opts.repeat - failedRuns}/${opts.repeat} runs passed`);
  console.log(formatTally(tally, opts.repeat));
}
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed > 0 ? 1 : 0);

/** Every stage once; counts as the CI line reads them, plus the combined output. */
async function _runOnce(dir: string, timeoutMs: number) {
  const records = `${dir}/records`;
  await Deno.mkdir(records, { recursive: true });
  let passed = 0, failed = 0, output = "", hung = "";
  const failedStages: string[] = [];
  for (const stage of stages) {
    const out = await _run(stage.args, records, opts.repeat === 1, timeoutMs);
    output += `\n=== ${stage.name}: deno ${stage.args.join(" ")}\n${out.text}`;
    if (out.hung) hung = `${stage.name} stage killed after ${timeoutMs / 60_000} min`;
    if (!stage.tests) {
      out.code === 0 ? passed++ : failed++;
      if (out.code !== 0) failedStages.push(stage.name);
      console.log(`${stage.name}: ${out.code === 0 ? "ok" : "FAILED"}`);
      continue;
    }
    const m = [...out.text.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)].at(-1);
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    }
    // A runner that crashed or printed no summary counts as one failure, never as silence.
    if (!m || (out.code !== 0 && Number(m[2]) === 0)) {
      failed++;
      failedStages.push(stage.name);
    }
  }
  return { passed, failed, output, hung, failedStages };
}

async function _run(args: string[], records: string, echo: boolean, timeoutMs: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: echo ? "inherit" : "piped",
    env: { NO_COLOR: "1", TGPIPE_TEST_RECORDS: records },
  }).spawn();
  let hung = false;
  const timer = timeoutMs > 0
    ? setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, timeoutMs)
    : undefined;
  const dec = new TextDecoder();
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>, toConsole: boolean) => {
    for await (const chunk of stream) {
      text += dec.decode(chunk, { stream: true });
      if (toConsole) await Deno.stdout.write(chunk);
    }
  };
  await Promise.all([pump(child.stdout, echo), echo ? undefined : pump(child.stderr!, false)]);
  const { code } = await child.status;
  clearTimeout(timer);
  return { code, text, hung };
}

function _parseArgs(args: string[]) {
  const out = {
    repeat: 1,
    runTimeoutMin: 30,
    paths: [] as string[],
    names: [] as string[],
    rest: [] as string[],
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith("--") && args[i].includes("=")
      ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
      : [args[i], undefined];
    const value = () => inline ?? args[++i] ?? _usage(`${flag} needs a value`);
    if (flag === "--repeat" || flag === "--run-timeout") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) _usage(`${flag} needs a whole number of at least 1`);
      flag === "--repeat" ? (out.repeat = n) : (out.runTimeoutMin = n);
    } else if (flag === "--filter") {
      const p = value();
      const isPath = (() => {
        try {
          Deno.statSync(`${root}${p}`);
          return true;
        } catch {
          return false;
        }
      })();
      isPath ? out.paths.push(p) : out.names.push(p);
    } else out.rest.push(args[i]);
  }
  if (out.names.length > 1) _usage("At most one --filter may be a test name pattern (use /a|b/)");
  return out;
}

function _usage(msg: string): never {
  console.error(`run_tests: ${msg}`);
  console.error(
    "usage: deno task test [--repeat N] [--run-timeout MIN] [--filter PATH|NAME]... [deno test args]",
  );
  Deno.exit(2);
}
