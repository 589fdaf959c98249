/** Reading a running tool's stdout and stderr: bounded, by lines if asked, never hung by a stray pipe. */
import { concatBytes } from "../core/concat_bytes.ts";

/** What {@link readToolOutput} reads, and what it does with it. */
export interface ToolOutputOptions {
  /** Keep stdout (else the tool's stdout is not piped and reads as empty). */
  collect: boolean;
  /** Collected stdout above this size calls `onOverflow` and stops reading. */
  maxStdout: number;
  /** Each line of stdout and stderr; stdout is then not kept, the stderr tail is. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Each line of stderr (when there is no `onLine`); the tail is kept as well. */
  onStderrLine?: (line: string) => void;
  /** Called once stdout passes `maxStdout` (the caller kills the tool). */
  onOverflow: () => void;
}

/** The output of one run, being read. */
export interface ToolOutput {
  /**
   * Waits for both streams to end, or, when a grandchild keeps a pipe open after the tool exits,
   * stops waiting after a second; gives stdout's bytes and the last ~4 KB of stderr as text.
   */
  drain(): Promise<[Uint8Array, string]>;
}

const STDERR_TAIL_BYTES = 4096;
// A grandchild can keep a pipe open after the tool exits; do not wait for it forever.
const PIPE_DRAIN_MS = 1000;

/**
 * Starts reading `child`'s stdout (when collected or split into lines) and stderr (into a
 * bounded tail), so neither pipe fills up and stalls the tool.
 */
export function readToolOutput(child: Deno.ChildProcess, o: ToolOutputOptions): ToolOutput {
  const onLine = o.onLine;
  // one line splitter for both: onLine takes stderr and stdout lines, onStderrLine stderr only
  const errLine = onLine ? (l: string) => onLine(l, "stderr") : o.onStderrLine;
  const stderr = _tail(errLine ? _splitLines(child.stderr, errLine) : child.stderr, STDERR_TAIL_BYTES);
  const stdout = onLine
    ? _collect(_splitLines(child.stdout, (l) => onLine(l, "stdout"), false), o.maxStdout, () => {})
    : o.collect
    ? _collect(child.stdout, o.maxStdout, o.onOverflow)
    : { done: Promise.resolve(new Uint8Array()), cancel: () => Promise.resolve() };
  return { drain: () => _drain(stdout, stderr) };
}

interface Reading<T> {
  done: Promise<T>;
  cancel: () => Promise<void>;
}

async function _drain(stdout: Reading<Uint8Array>, stderr: Reading<string>): Promise<[Uint8Array, string]> {
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
    return concatBytes(chunks);
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
