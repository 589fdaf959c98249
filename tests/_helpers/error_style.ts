/**
 * The error style for what users see (docs/architecture.md, errors): a message starts with a capital
 * (or with a tool or processor name such as "ffmpeg" or "transcribe:") and has no final period.
 */
import type { RunRecord } from "./run_cli.ts";

/** One message that breaks the rule, and where it was printed. */
export interface StyleProblem {
  file: string;
  where: "stderr" | "event";
  message: string;
  problem: string;
}

// Names that keep their lower case at the start of a message: tools, and "name: " prefixes.
const LEADING_NAME = /^(ffmpeg|ffprobe|whisper-cli|rclone|yt-dlp|python3-telethon|sharp)\b|^[a-z][\w-]*: /;

/** Why `message` breaks the rule, or undefined when it follows it. */
export function styleProblem(message: string): string | undefined {
  const m = message.trim();
  if (m === "") return "empty message";
  if (m.includes("\n")) return "more than one line";
  if (!/^[A-Z0-9"'`@/(--]/.test(m) && !LEADING_NAME.test(m)) return "does not start with a capital";
  if (m.endsWith(".") && !m.endsWith("...")) return "ends with a period";
  return undefined;
}

/** Every error message in the records' stderr ("error: ..." lines) and JSON events that breaks the rule. */
export function findStyleProblems(
  records: ReadonlyArray<{ file: string; record: RunRecord }>,
): StyleProblem[] {
  const out: StyleProblem[] = [];
  for (const { file, record } of records) {
    for (const line of record.stderr.split("\n")) {
      if (!line.startsWith("error: ")) continue;
      const message = line.slice("error: ".length);
      const problem = styleProblem(message);
      if (problem) out.push({ file, where: "stderr", message, problem });
    }
    for (const line of record.stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      let ev: { error?: { message?: unknown } };
      try {
        ev = JSON.parse(line);
      } catch {
        continue;
      }
      const message = ev?.error?.message;
      if (typeof message !== "string") continue;
      const problem = styleProblem(message);
      if (problem) out.push({ file, where: "event", message, problem });
    }
  }
  return out;
}
