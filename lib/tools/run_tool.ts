import { ToolFailedError, ToolMissingError } from "../core/errors.ts";
import { readToolOutput } from "./tool_output.ts";
import type { ResolvedTool } from "./tool_types.ts";

/** How to run one tool invocation. */
export interface RunToolOptions {
  /** Aborting kills the process and rethrows `signal.reason`. */
  signal?: AbortSignal;
  /** Kill the process and fail with "timed out after Ns" after this many milliseconds. */
  timeoutMs?: number;
  cwd?: string;
  /** Extra variables on top of the inherited environment (resolved by lib/cli, never read here). */
  env?: Record<string, string>;
  /**
   * Bytes written to the tool's stdin, which is then closed; stdin is empty otherwise. A stream is
   * piped as it comes; if it errors, the tool is killed (never handed a short input as if it were
   * complete) and runTool rejects with the stream's error.
   */
  stdin?: Uint8Array | ReadableStream<Uint8Array>;
  /** "collect" (default) keeps stdout in memory; "discard" drops it at the OS level. */
  stdout?: "collect" | "discard";
  /** Collected stdout above this size kills the tool and fails; default 64 MiB. */
  maxStdoutBytes?: number;
  /**
   * Called with each line of stdout and stderr as it arrives (progress of a long run, e.g.
   * yt-dlp's templates); stdout is then not collected (`stdout` is empty), the stderr tail is kept.
   */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Called with each line of stderr as it comes (progress lines, log lines); the tail is kept as well. */
  onStderrLine?: (line: string) => void;
}

/** What a successful run produced. */
export interface RunToolResult {
  /** Always 0: any other exit status throws ToolFailedError. */
  code: number;
  stdout: Uint8Array;
  /** The last ~4 KB of stderr, decoded as UTF-8. */
  stderrTail: string;
  elapsedMs: number;
}

const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;
// Long enough for ffmpeg to finalize a file on SIGTERM, short enough that Ctrl-C feels instant.
const KILL_GRACE_MS = 500;

type StopWhy = { kind: "timeout"; ms: number } | { kind: "abort" } | { kind: "overflow"; max: number };

/**
 * Runs `tool` with an argument list (never a shell), streaming stderr into a bounded tail.
 *
 * @example
 * ```ts
 * const ffprobe = await findTool("ffprobe", { searchPath, cacheDir });
 * const { stdout } = await runTool(ffprobe, ["-v", "error", "-show_format", "-of", "json", file]);
 * ```
 */
export async function runTool(
  tool: ResolvedTool,
  args: string[],
  opts: RunToolOptions = {},
): Promise<RunToolResult> {
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
    throw new TypeError("runTool: args must be an array of strings");
  }
  if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0)) {
    throw new RangeError(`runTool: timeoutMs must be positive, got ${opts.timeoutMs}`);
  }
  opts.signal?.throwIfAborted();
  const collect = (opts.stdout ?? "collect") === "collect" || opts.onLine !== undefined;
  const maxStdout = opts.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const started = performance.now();
  const child = _spawn(tool, args, opts, collect);

  let stop: StopWhy | undefined;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const kill = (why: StopWhy) => {
    if (stop) return;
    stop = why;
    _signal(child, "SIGTERM");
    graceTimer = setTimeout(() => _signal(child, "SIGKILL"), KILL_GRACE_MS);
  };
  const timer = opts.timeoutMs === undefined
    ? undefined
    : setTimeout(() => kill({ kind: "timeout", ms: opts.timeoutMs! }), opts.timeoutMs);
  const onAbort = () => kill({ kind: "abort" });
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const output = readToolOutput(child, {
    collect,
    maxStdout,
    onLine: opts.onLine,
    onStderrLine: opts.onStderrLine,
    onOverflow: () => kill({ kind: "overflow", max: maxStdout }),
  });
  let feedError: { err: unknown } | undefined;
  const stdinDone = opts.stdin === undefined
    ? Promise.resolve()
    : opts.stdin instanceof Uint8Array
    ? _feed(child.stdin, opts.stdin)
    : _pipe(opts.stdin, child.stdin).catch((err) => {
      feedError = { err };
      kill({ kind: "abort" });
    });

  let status: Deno.CommandStatus;
  let out: Uint8Array;
  let tail: string;
  try {
    status = await child.status;
    [out, tail] = await output.drain();
    await stdinDone;
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
  const elapsedMs = Math.round(performance.now() - started);

  if (feedError) throw feedError.err;
  if (stop?.kind === "abort") throw opts.signal!.reason;
  if (stop?.kind === "timeout") {
    throw new ToolFailedError(tool.name, null, tail, `timed out after ${_seconds(stop.ms)}s`);
  }
  if (stop?.kind === "overflow") {
    throw new ToolFailedError(tool.name, null, tail, `wrote more than ${stop.max} bytes to stdout`);
  }
  if (!status.success) throw new ToolFailedError(tool.name, status.signal ? null : status.code, tail);
  return { code: status.code, stdout: out, stderrTail: tail, elapsedMs };
}

function _spawn(
  tool: ResolvedTool,
  args: string[],
  opts: RunToolOptions,
  collect: boolean,
): Deno.ChildProcess {
  try {
    return new Deno.Command(tool.path, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdin: opts.stdin ? "piped" : "null",
      stdout: collect ? "piped" : "null",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new ToolMissingError(tool.name, `${tool.path} no longer exists; run \`tgpipe doctor\``);
    }
    throw err;
  }
}

function _signal(child: Deno.ChildProcess, sig: Deno.Signal): void {
  try {
    child.kill(sig);
  } catch {
    // Already exited between the decision to kill and the kill itself: nothing to do.
  }
}

function _seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

async function _feed(stream: WritableStream<Uint8Array>, data: Uint8Array): Promise<void> {
  const writer = stream.getWriter();
  try {
    await writer.write(data);
    await writer.close();
  } catch {
    // The tool exited without reading all of stdin (e.g. `ffmpeg -t 1`); its exit status says why.
  }
}

/** Pipes a stream into stdin; the input's failure leaves stdin open so the caller kills the tool first. */
async function _pipe(input: ReadableStream<Uint8Array>, stdin: WritableStream<Uint8Array>): Promise<void> {
  const reader = input.getReader();
  const writer = stdin.getWriter();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    try {
      await writer.write(value);
    } catch {
      // The tool closed stdin (it exited); its exit status says why.
      await reader.cancel().catch(() => {});
      return;
    }
  }
  await writer.close().catch(() => {});
}
