import { UsageError } from "../core/errors.ts";

/**
 * Parses a per-minute rate such as `5/min`, `5/minute`, `5/m` or a bare `5` (requests a minute);
 * `120/hour` is accepted when it is a whole number a minute.
 *
 * @throws {UsageError} for anything else (exit 2)
 */
export function parseRatePerMinute(v: string, flag: string): number {
  const m = /^(\d+)\s*(?:\/\s*(m|min|minute|h|hour))?$/i.exec(v.trim());
  const bad = () => new UsageError(`${flag} must be a rate like 5/min, got ${v}`);
  if (!m) throw bad();
  const n = Number(m[1]);
  const perMinute = m[2] && m[2].toLowerCase().startsWith("h") ? n / 60 : n;
  if (!Number.isSafeInteger(perMinute) || perMinute < 1) throw bad();
  return perMinute;
}
