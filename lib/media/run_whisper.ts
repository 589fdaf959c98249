import { TgpipeError } from "../core/errors.ts";
import { parseWhisperJson } from "./parse_whisper_json.ts";
import { runTool } from "../tools/run_tool.ts";
import type { TranscriptSegment } from "./subtitles.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";

/** How to run whisper-cli on one 16 kHz mono WAV chunk. */
export interface RunWhisperOptions {
  model: string;
  /** whisper-cli writes `<outPrefix>.json`: a scratch path, never beside the media. */
  outPrefix: string;
  language?: string;
  threads?: number;
  /** Where the chunk starts in the whole media, added to every timestamp. */
  offsetMs: number;
  /** The chunk's length; segments are clipped to it. */
  chunkMs?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs whisper-cli with JSON output (`-oj`) on `wav` and returns its segments on the whole media's
 * clock. The JSON goes to `<outPrefix>.json` in a scratch dir.
 */
export async function runWhisper(
  whisperCli: ResolvedTool,
  wav: string,
  opts: RunWhisperOptions,
): Promise<{ language: string | undefined; segments: TranscriptSegment[] }> {
  const prefix = opts.outPrefix;
  const args = ["-m", opts.model, "-f", wav, "-oj", "-of", prefix, "-np", "-l", opts.language ?? "auto"];
  if (opts.threads) args.push("-t", String(opts.threads));
  await runTool(whisperCli, args, { signal: opts.signal, timeoutMs: opts.timeoutMs, stdout: "discard" });
  let text: string;
  try {
    text = await Deno.readTextFile(`${prefix}.json`);
    return parseWhisperJson(text, { offsetMs: opts.offsetMs, chunkMs: opts.chunkMs });
  } catch (err) {
    throw new TgpipeError(`whisper-cli gave no readable JSON: ${(err as Error).message}`, {
      code: "TOOL_FAILED",
      data: { tool: "whisper-cli" },
    });
  }
}
