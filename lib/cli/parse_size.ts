import { UsageError } from "../core/errors.ts";

/**
 * Parses a size flag such as `500KB`, `10MB`, `1.5G` or a bare byte count (binary units);
 * undefined when the flag was not given.
 *
 * @throws {UsageError} for anything else (exit 2)
 */
export function parseSize(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g|tb|t)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`${flag} must be a size like 500KB or 10MB, got ${v}`);
  const unit = (m[2] ?? "b").toLowerCase()[0];
  return Math.round(Number(m[1]) * ({ b: 1, k: 1024, m: 1 << 20, g: 1 << 30, t: 2 ** 40 }[unit] ?? 1));
}
