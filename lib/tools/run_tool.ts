import { ToolFailedError, ToolMissingError } from "../core/errors.ts";
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

const STDERR_TAIL_BYTES = 4096;
const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;
// Long enough for ffmpeg to finalize a file on SIGTERM, short enough that Ctrl-C feels instant.
const KILL_GRACE_MS = 500;
// A grandchild can keep a pipe open after the tool exits; do not wait for it forever.
const PIPE_DRAIN_MS = 1000;

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

  const onLine = opts.onLine;
  // one line splitter for both: onLine takes stderr and stdout lines, onStderrLine stderr only
  const errLine = onLine ? (l: string) => onLine(l, "stderr") : opts.onStderrLine;
  const stderr = _tail(errLine ? _splitLines(child.stderr, errLine) : child.stderr, STDERR_TAIL_BYTES);
  const stdout = onLine
    ? _collect(_splitLines(child.stdout, (l) => onLine(l, "stdout"), false), maxStdout, () => {})
    : collect
    ? _collect(child.stdout, maxStdout, () => kill({ kind: "overflow", max: maxStdout }))
    : { done: Promise.resolve(new Uint8Array()), cancel: () => Promise.resolve() };
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
    [out, tail] = await _drain(stdout, stderr);
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

interface Reading<T> {
  done: Promise<T>;
  cancel: () => Promise<void>;
}

async function _drain(
  stdout: Reading<Uint8Array>,
  stderr: Reading<string>,
): Promise<[Uint8Array, string]> {
  const both = Promise.all([stdout.done, stderr.done]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), PIPE_DRAIN_MS));
  const first = await Promise.race([both, late]);
  clearTimeout(timer);
  if (first === "late") await Promise.all([stdout.cancel(), stderr.cancel()]);
  return await both;
}

function _tail(stream: ReadableStream<Uint8Array>, keep: number): Reading<string> {
  const reader = stream.getReader();
  const ring = new Uint8Array(keep);
  let total = 0;
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        // Only the last `keep` bytes matter: older stderr is overwritten, so memory stays bounded.
        const chunk = value.length > keep ? value.subarray(value.length - keep) : value;
        for (let i = 0; i < chunk.length; i++) ring[(total + i) % keep] = chunk[i];
        total += chunk.length;
      }
    } catch {
      // Cancelled after the process exited; keep what was read.
    }
    const n = Math.min(total, keep);
    const start = total > keep ? total % keep : 0;
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = ring[(start + i) % keep];
    return new TextDecoder().decode(bytes);
  })();
  return { done, cancel: () => reader.cancel().catch(() => {}) };
}

function _collect(
  stream: ReadableStream<Uint8Array>,
  max: number,
  onOverflow: () => void,
): Reading<Uint8Array> {
  const reader = stream.getReader();
  const done = (async () => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > max) {
          onOverflow();
          await reader.cancel();
          break;
        }
        chunks.push(value);
      }
    } catch {
      // Cancelled after the process exited; keep what was read.
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  })();
  return { done, cancel: () => reader.cancel().catch(() => {}) };
}

/**
 * Hands each line of `stream` to `onLine` (a callback that throws is ignored: output handling
 * never kills the tool); the bytes pass on when `keep`, else nothing is passed on.
 */
function _splitLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
  keep = true,
): ReadableStream<Uint8Array> {
  const dec = new TextDecoder();
  let rest = "";
  const emit = (text: string) => {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) {
      try {
        onLine(l.endsWith("\r") ? l.slice(0, -1) : l);
      } catch {
        // a consumer's bug must not leave the tool running unobserved
      }
    }
  };
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        emit(dec.decode(chunk, { stream: true }));
        if (keep) c.enqueue(chunk);
      },
      flush() {
        emit(dec.decode());
        if (rest !== "") emit("\n");
      },
    }),
  );
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
