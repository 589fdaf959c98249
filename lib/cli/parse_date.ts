import { InvalidArgumentError } from "@commander-js/extra-typings";
import { UsageError } from "../core/errors.ts";

/**
 * Parses `YYYY-MM-DD` (UTC midnight) or an ISO date-time into unix seconds; a date that does not
 * exist (2024-02-30, 2024-04-31) is refused rather than rolled over into the next month.
 */
export function parseDate(v: string): number {
  const s = v.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = Date.parse(day ? `${s}T00:00:00Z` : s);
  const ymd = day ?? /^(\d{4})-(\d{2})-(\d{2})T/.exec(s);
  const real = ymd
    ? new Date(Date.UTC(Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3]))).toISOString().slice(0, 10) ===
      `${ymd[1]}-${ymd[2]}-${ymd[3]}`
    : true;
  if (!Number.isFinite(t) || !real) {
    throw new InvalidArgumentError("expected a date like 2024-05-01 or 2024-05-01T12:00:00Z");
  }
  return Math.floor(t / 1000);
}

/** Refuses an empty date range (--after not before --before) as bad usage (exit 2). */
export function checkDateRange(after: number | undefined, before: number | undefined): void {
  if (after !== undefined && before !== undefined && after >= before) {
    throw new UsageError("--after must be earlier than --before: the range holds no messages");
  }
}
