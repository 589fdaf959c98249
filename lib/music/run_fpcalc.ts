import { ToolFailedError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { decodeFpcalcJson, type Fingerprint } from "./fingerprint.ts";
import { UnreadableMediaError } from "./music_errors.ts";

/** How much of a file to fingerprint, and how long fpcalc may take. */
export interface FingerprintOptions {
  /** Seconds of audio from the start; 0 (default) is the whole file. */
  maxSeconds?: number;
  /** Kill fpcalc after this long (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs `fpcalc -raw -json` on one audio or video file. Throws UnreadableMediaError when fpcalc
 * cannot decode it, ToolFailedError when it timed out, ToolMissingError when the binary is gone; an
 * abort rethrows the signal's reason.
 *
 * @example
 * ```ts
 * const fp = await fingerprintFile(fpcalc, "/music/song.mp3", { signal });
 * console.log(fp.values.length, fp.durationSec);
 * ```
 */
export async function fingerprintFile(
  fpcalc: ResolvedTool,
  path: string,
  opts: FingerprintOptions = {},
): Promise<Fingerprint> {
  const maxSeconds = opts.maxSeconds ?? 0;
  if (!(maxSeconds >= 0)) throw new RangeError(`maxSeconds must be 0 or more, got ${maxSeconds}`);
  // A name starting with "-" would read as an option: fpcalc has no "--" separator.
  const arg = path.startsWith("-") ? `./${path}` : path;
  // fpcalc 1.5 built on FFmpeg 5 exits 3 ("Error decoding audio frame (End of file)") after printing
  // a complete fingerprint, so its stdout is read line by line and kept whatever the status.
  let json = "";
  try {
    await runTool(fpcalc, ["-raw", "-json", "-length", String(maxSeconds), arg], {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onLine: (line, stream) => {
        if (stream === "stdout" && line.startsWith("{")) json = line;
      },
    });
  } catch (err) {
    if (!(err instanceof ToolFailedError) || err.status !== 3 || json === "") {
      // Killed (a timeout) says nothing about the file: that stays a ToolFailedError.
      if (err instanceof ToolFailedError && err.status !== null) {
        throw new UnreadableMediaError(path, _reason(err), err);
      }
      throw err;
    }
  }
  if (json === "") throw new UnreadableMediaError(path, "fpcalc printed no fingerprint");
  try {
    return decodeFpcalcJson(json);
  } catch (err) {
    throw new UnreadableMediaError(path, `fpcalc printed no fingerprint (${(err as Error).message})`, err);
  }
}

// fpcalc prints "ERROR: Could not open the input file (Invalid data found ...)"; keep the last such line.
function _reason(err: ToolFailedError): string {
  const lines = err.stderrTail.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const last = lines.findLast((l) => l.startsWith("ERROR:")) ?? lines.at(-1);
  return last ? last.replace(/^ERROR:\s*/, "") : err.message;
}
