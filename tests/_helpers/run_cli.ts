/**
 * Runs the real CLI (main.ts) as a subprocess with an isolated environment, validates every
 * `--json` event against the schema, and records the output for tests/audit/secrets_audit_test.ts.
 */
import { checkEventOrder } from "../../lib/progress/event_order.ts";
import { AssertionError } from "node:assert/strict";
import { validateEvent } from "../../lib/progress/validate_event.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { SETTING_DEFS } from "../../lib/core/settings.ts";

/** Options of one CLI run. */
export interface RunCliOptions {
  /** Extra environment; HOME and XDG_* default to a fresh temp dir, NO_COLOR is unset. */
  env?: Record<string, string>;
  /** Text or bytes piped to stdin (stdin is closed otherwise). */
  stdin?: string | Uint8Array;
  /** Values that must never appear in output; secret TGPIPE_* env values are added automatically. */
  secrets?: string[];
  /**
   * Kill the run and fail once it has printed nothing for this many milliseconds (default 30 000):
   * a hang guard that names the command, not a deadline, so a slow run on a busy machine that
   * still prints its progress is never cut off.
   */
  timeoutMs?: number;
  /** Working directory (default: the run's temp dir). */
  cwd?: string;
  /** Extra `deno run` flags before main.ts (e.g. `--location` for a localStorage of its own). */
  denoFlags?: string[];
}

/** What one CLI run produced; `events` holds the parsed stdout lines when --json was given. */
export interface RunCliResult {
  code: number;
  stdout: string;
  stderr: string;
  events: TgpipeEvent[];
}

/** One recorded run, as the secrets audit reads it. */
export interface RunRecord {
  args: string[];
  secrets: string[];
  stdout: string;
  stderr: string;
}

/** The repository root (where main.ts and deno.json live). */
export const REPO = new URL("../../", import.meta.url).pathname;

/**
 * `deno run` arguments that start tgpipe as tests do. node_modules is used as installed
 * (`--node-modules-dir=manual`; `.ci/run` and the README install it first): with "auto", many
 * processes starting at once queue on node_modules' lock, and Deno's "Blocking waiting for file
 * lock" notice on stderr is not tgpipe's output.
 */
export function tgpipeArgs(...args: string[]): string[] {
  return [
    "run",
    "-A",
    "--unstable-kv",
    "--node-modules-dir=manual",
    "--config",
    `${REPO}deno.json`,
    `${REPO}main.ts`,
    ...args,
  ];
}
/**
 * Where run records go: scripts/run_tests.ts gives each run its own directory (TGPIPE_TEST_RECORDS),
 * so suites running at once in other checkouts sharing .cache neither mix nor delete records.
 */
export const RECORD_DIR = Deno.env.get("TGPIPE_TEST_RECORDS") ?? `${REPO}.cache/test-runs`;

const SECRET_ENV = new Set(SETTING_DEFS.filter((d) => d.secret).map((d) => d.env));
// Too-short "secrets" would match by chance and make the audit flaky.
const MIN_SECRET_LENGTH = 4;
let denoDir: Promise<string> | undefined;

/** Runs `deno run -A --unstable-kv main.ts ...args`; asserts every --json event validates. */
export async function runCli(args: string[], opts: RunCliOptions = {}): Promise<RunCliResult> {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_cli_" });
  try {
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      // The child must find the same module cache, which lives under the real HOME by default.
      DENO_DIR: await _denoDir(),
      DENO_NO_UPDATE_CHECK: "1",
      HOME: tmp,
      XDG_CONFIG_HOME: `${tmp}/config`,
      XDG_DATA_HOME: `${tmp}/data`,
      XDG_CACHE_HOME: `${tmp}/cache`,
      XDG_STATE_HOME: `${tmp}/state`,
      XDG_RUNTIME_DIR: `${tmp}/run`,
      ...opts.env,
    };
    const secrets = [...(opts.secrets ?? [])];
    for (const [k, v] of Object.entries(opts.env ?? {})) if (SECRET_ENV.has(k)) secrets.push(v);
    const out = await _spawn(args, env, opts.cwd ?? tmp, opts);
    await _record({
      args: _redact(args, secrets),
      secrets: _usable(secrets),
      stdout: out.stdout,
      stderr: out.stderr,
    });
    const events = args.includes("--json") ? _parseEvents(out.stdout) : [];
    return { ...out, events };
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Records output produced in-process (not through runCli) for the secrets audit. */
export async function recordOutput(text: string, secrets: string[]): Promise<void> {
  await _record({ args: [], secrets: _usable(secrets), stdout: text, stderr: "" });
}

async function _spawn(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  opts: RunCliOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = new Deno.Command(Deno.execPath(), {
    args: [tgpipeArgs()[0], ...opts.denoFlags ?? [], ...tgpipeArgs(...args).slice(1)],
    cwd,
    env,
    clearEnv: true,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
  };
  rearm();
  // Every chunk of output is progress and re-arms the guard.
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    let text = "";
    for await (const chunk of stream) {
      rearm();
      text += dec.decode(chunk, { stream: true });
    }
    return text + dec.decode();
  };
  try {
    // written while the output is read: a large input must not wait on a full output pipe
    const fed = (async () => {
      if (opts.stdin === undefined) return;
      const w = child.stdin.getWriter();
      const bytes = typeof opts.stdin === "string" ? new TextEncoder().encode(opts.stdin) : opts.stdin;
      await w.write(bytes).catch(() => {});
      await w.close().catch(() => {});
    })();
    const [stdout, stderr] = await Promise.all([read(child.stdout), read(child.stderr), fed]);
    const { code } = await child.status;
    const result = { code, stdout, stderr };
    if (timedOut) {
      throw new AssertionError({
        message: `tgpipe ${args.join(" ")} printed nothing for ${timeoutMs} ms and was killed\n` +
          `stdout tail: ${stdout.slice(-1500)}\nstderr: ${stderr}`,
      });
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function _parseEvents(stdout: string): TgpipeEvent[] {
  const events: TgpipeEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AssertionError({ message: `--json stdout line is not JSON: ${line}` });
    }
    const problems = validateEvent(value);
    if (problems.length > 0) {
      throw new AssertionError({ message: `invalid event ${line}\n  ${problems.join("\n  ")}` });
    }
    events.push(value as TgpipeEvent);
  }
  const order = checkEventOrder(events);
  if (order.length > 0) {
    throw new AssertionError({ message: `event stream out of order:\n  ${order.join("\n  ")}` });
  }
  return events;
}

function _usable(secrets: string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
}

function _redact(args: string[], secrets: string[]): string[] {
  return args.map((a) => _usable(secrets).reduce((s, secret) => s.replaceAll(secret, "<secret>"), a));
}

async function _record(record: RunRecord): Promise<void> {
  await Deno.mkdir(RECORD_DIR, { recursive: true });
  await Deno.writeTextFile(`${RECORD_DIR}/${crypto.randomUUID()}.json`, JSON.stringify(record));
}

function _denoDir(): Promise<string> {
  denoDir ??= (async () => {
    const given = Deno.env.get("DENO_DIR");
    if (given) return given;
    const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" })
      .output();
    return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir as string;
  })();
  return denoDir;
}

/** Every run recorded so far, with its file name (for the audits in tests/audit). */
export async function readRunRecords(): Promise<Array<{ file: string; record: RunRecord }>> {
  const records: Array<{ file: string; record: RunRecord }> = [];
  try {
    for await (const entry of Deno.readDir(RECORD_DIR)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const file = `${RECORD_DIR}/${entry.name}`;
      records.push({ file, record: JSON.parse(await Deno.readTextFile(file)) as RunRecord });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return records;
}
