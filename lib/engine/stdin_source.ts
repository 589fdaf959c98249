/**
 * Standard input as an UploadSource: named by `--name`, size unknown until the end (the engine
 * uploads with file_total_parts = -1), readable once and only from the start, so a retried or
 * resumed upload says plainly that stdin cannot be read again.
 */
import { SourceNotResumableError } from "./source_errors.ts";
import type { UploadSource } from "./upload_source.ts";

/** What stdin is called in Telegram. */
export interface StdinSourceOptions {
  /** The file name Telegram shows (`--name`); required, stdin has none of its own. */
  name: string;
  mime?: string;
}

/**
 * An UploadSource over `stream` (lib/cli passes `Deno.stdin.readable`). Throws RangeError for an
 * empty name; `open` throws SourceNotResumableError past 0 or when called a second time.
 *
 * @example
 * ```ts
 * const src = stdinSource(Deno.stdin.readable, { name: "backup.tar" });
 * ```
 */
export function stdinSource(stream: ReadableStream<Uint8Array>, opts: StdinSourceOptions): UploadSource {
  const name = opts.name.trim();
  if (name === "" || /[/\\]/.test(name)) {
    throw new RangeError(`Uploading stdin needs a file name without slashes (--name), got "${opts.name}"`);
  }
  let opened = false;
  return {
    name,
    size: undefined,
    origin: "stdin",
    mime: opts.mime,
    seekable: false,
    open(offset, signal) {
      if (offset !== 0 || opened) {
        const why = offset !== 0 ? `cannot continue from byte ${offset}` : "was read once already";
        return _fail(
          new SourceNotResumableError(
            `Standard input ${why}: its bytes are gone, so pipe the input into a new upload`,
            "stdin",
          ),
        );
      }
      opened = true;
      return _chunks(stream, signal);
    },
  };
}

// like every source, a refusal surfaces when the bytes are read, not when open() is called
// deno-lint-ignore require-yield
async function* _fail(err: Error): AsyncIterable<Uint8Array> {
  throw err;
}

async function* _chunks(stream: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncIterable<Uint8Array> {
  signal.throwIfAborted();
  const reader = stream.getReader();
  // a pending read of a pipe does not end by itself on abort: cancelling the reader ends it
  const onAbort = () => reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      const r = await reader.read();
      signal.throwIfAborted();
      if (r.done) return;
      if (r.value.length > 0) yield r.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
