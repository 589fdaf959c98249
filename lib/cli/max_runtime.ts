import { InvalidArgumentError, Option } from "@commander-js/extra-typings";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `90s`, `45m`, `5h30m`, `1d` or a bare number of seconds into
 * milliseconds; commander shows the InvalidArgumentError as a usage error (exit 2).
 */
export function parseDuration(v: string): number {
  const s = v.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return _positive(Number(s) * 1000, v);
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== s) {
    throw new InvalidArgumentError("expected a duration like 90s, 45m, 5h30m or 1d");
  }
  return _positive(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]], 0), v);
}

function _positive(ms: number, v: string): number {
  if (!(ms >= 1000)) throw new InvalidArgumentError(`must be at least one second, got ${v}`);
  return Math.round(ms);
}

/** The `--max-runtime` option every long command has (a CI runner's time limit is the case). */
export function maxRuntimeOption() {
  return new Option(
    "--max-runtime <duration>",
    "stop starting work after this long (e.g. 5h30m), save progress and exit 75; rerun to resume",
  ).argParser(parseDuration);
}
