/**
 * The Range header of RFC 9110 §14: `bytes=` with int ranges (`a-b`, `a-`) and suffix ranges
 * (`-n`), as a pure function of the header and the representation's length.
 */

/** One byte range, both ends inclusive, inside the representation. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a Range header asks of a representation of `size` bytes:
 * - `ignore`: no header, another unit, or a malformed/invalid set (served whole, 200);
 * - `unsatisfiable`: valid, but no range overlaps the representation (416);
 * - `ranges`: the satisfiable ranges clamped to the representation, in the client's order.
 */
export type RangeRequest =
  | { kind: "ignore" }
  | { kind: "unsatisfiable" }
  | { kind: "ranges"; ranges: ByteRange[] };

// More ranges than this in one header is abuse (many tiny ranges), not a player: served whole.
const MAX_RANGES = 100;
const DIGITS = /^[0-9]{1,16}$/;

/** Parses `header` for a representation of `size` bytes (see {@link RangeRequest}). */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (header == null) return { kind: "ignore" };
  const eq = header.indexOf("=");
  if (eq < 0) return { kind: "ignore" };
  // range-unit is case-insensitive (§14.1); OWS around the `=` is not allowed, but trimmed by many
  if (header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "ignore" };
  const specs = header.slice(eq + 1).split(",").map((s) => s.trim());
  // "1#range-spec": empty list elements are allowed by the list rule (§5.6.1), but not all empty
  const nonEmpty = specs.filter((s) => s !== "");
  if (nonEmpty.length === 0 || nonEmpty.length > MAX_RANGES) return { kind: "ignore" };
  const out: ByteRange[] = [];
  let empty = false;
  for (const spec of nonEmpty) {
    const r = _spec(spec, size);
    if (r === "invalid") return { kind: "ignore" };
    if (r === "empty") empty = true;
    else if (r) out.push(r);
  }
  if (out.length > 0) return { kind: "ranges", ranges: out };
  // a zero-length representation: a suffix range is satisfiable and selects all of it (§14.1.1)
  return empty ? { kind: "ignore" } : { kind: "unsatisfiable" };
}

// A range-spec: a range inside the representation, undefined when valid but unsatisfiable.
function _spec(spec: string, size: number): ByteRange | undefined | "invalid" | "empty" {
  const dash = spec.indexOf("-");
  if (dash < 0) return "invalid";
  const first = spec.slice(0, dash);
  const last = spec.slice(dash + 1);
  if (first === "") {
    // suffix-range: the last n bytes, the whole representation when it is shorter than n
    if (!DIGITS.test(last)) return "invalid";
    const n = Number(last);
    if (n === 0) return undefined;
    if (size === 0) return "empty";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  if (!DIGITS.test(first) || (last !== "" && !DIGITS.test(last))) return "invalid";
  const a = Number(first);
  const b = last === "" ? undefined : Number(last);
  // last-pos < first-pos makes the whole ranges-specifier invalid (§14.1.1)
  if (b !== undefined && b < a) return "invalid";
  if (a >= size) return undefined;
  return { start: a, end: Math.min(b ?? size - 1, size - 1) };
}

/**
 * Sorts and merges overlapping and adjacent ranges (§14.3 lets a server coalesce them), so the
 * bytes sent never exceed the representation however the client repeats itself.
 */
export function coalesceRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((x, y) => x.start - y.start);
  const out: ByteRange[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.start <= prev.end + 1) prev.end = Math.max(prev.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
