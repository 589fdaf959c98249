/**
 * Fault settings for the fake DC: parsing the `--faults` spec and a seeded RNG so that every
 * fault fires at the same calls in every run with the same seed.
 */
import type { FaultSpec } from "./contract.ts";

/** Fault settings that inject nothing. */
export function defaultFaults(): FaultSpec {
  return {
    rttMs: 0,
    bandwidthBps: 0,
    floodP: 0,
    floodSeconds: 2,
    floodRules: [],
    disconnectP: 0,
    timeoutP: 0,
    stallP: 0,
    stallMs: 20_000,
    fileRefTtlS: 0,
    takeoutDelayS: 0,
    migrateP: 0,
    errorRules: [],
    corruptP: 0,
    corruptFiles: [],
    uploadMaxParts: 4000,
    uploadMaxPartsPremium: 8000,
    partTtlS: 0,
  };
}

type NumericKey = Exclude<keyof FaultSpec, "floodRules" | "errorRules" | "corruptFiles">;

// Spec key -> field, and whether the value is a probability (checked to lie in [0, 1]).
const KEYS: Record<string, { field: NumericKey; kind: "prob" | "count" | "bytes" }> = {
  rtt: { field: "rttMs", kind: "count" },
  bw: { field: "bandwidthBps", kind: "bytes" },
  flood: { field: "floodP", kind: "prob" },
  flood_s: { field: "floodSeconds", kind: "count" },
  disconnect: { field: "disconnectP", kind: "prob" },
  timeout: { field: "timeoutP", kind: "prob" },
  stall: { field: "stallP", kind: "prob" },
  stall_ms: { field: "stallMs", kind: "count" },
  file_ref_ttl: { field: "fileRefTtlS", kind: "count" },
  takeout_delay: { field: "takeoutDelayS", kind: "count" },
  migrate: { field: "migrateP", kind: "prob" },
  corrupt: { field: "corruptP", kind: "prob" },
  upload_parts: { field: "uploadMaxParts", kind: "count" },
  upload_parts_premium: { field: "uploadMaxPartsPremium", kind: "count" },
  part_ttl: { field: "partTtlS", kind: "count" },
};
/** Keys with their own syntax (not numbers), for the list of known keys. */
const LIST_KEYS = ["rule", "fail", "corrupt_file"];

// Byte sizes accept K/M/G suffixes (powers of 1024) so `bw=8M` reads naturally.
function _parseBytes(key: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(raw);
  if (!m) throw new RangeError(`Fault "${key}" needs a byte size like 512K or 8M, got "${raw}"`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

function _parseNumber(key: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new RangeError(`Fault "${key}" needs a non-negative number, got "${raw}"`);
  }
  return n;
}

// rule=<Method>:<requests>/<windowS>[@<user id>], e.g. rule=messages.GetHistory:30/10; with a
// user id the limit holds for that account only
function _parseRule(raw: string): FaultSpec["floodRules"][number] {
  const m = /^([A-Za-z][\w.]*):(\d+)\/(\d+(?:\.\d+)?)(?:@(\d+))?$/.exec(raw);
  if (!m || Number(m[2]) < 1 || Number(m[3]) <= 0) {
    throw new RangeError(`Fault rule must look like messages.GetHistory:30/10[@<user id>], got "${raw}"`);
  }
  return { method: m[1], requests: Number(m[2]), windowS: Number(m[3]), ...(m[4] ? { user: m[4] } : {}) };
}

// fail=<Method>:<code>/<ERROR>[@<id>], e.g. fail=messages.GetHistory:400/CHANNEL_PRIVATE@1700000000
function _parseErrorRule(raw: string): FaultSpec["errorRules"][number] {
  const m = /^([A-Za-z][\w.]*):(\d{3})\/([A-Z][A-Z0-9_]*)(?:@(\d+))?$/.exec(raw);
  if (!m) {
    throw new RangeError(
      `Fault fail must look like messages.GetHistory:400/CHANNEL_PRIVATE[@<id>], got "${raw}"`,
    );
  }
  return { method: m[1], code: Number(m[2]), message: m[3], ...(m[4] ? { target: m[4] } : {}) };
}

/**
 * Parses a fault spec such as `rtt=30,bw=8M,flood=0.05,rule=messages.GetHistory:30/10`.
 * Keys not given keep their defaults; an empty spec means no faults. `rule`, `fail` and
 * `corrupt_file` may repeat.
 *
 * @example
 * ```ts
 * const f = parseFaults("rtt=30,bw=8M,disconnect=0.01");
 * // f.rttMs === 30, f.bandwidthBps === 8 * 1024 * 1024
 * ```
 * @throws {RangeError} on unknown keys or bad values.
 */
export function parseFaults(spec: string): FaultSpec {
  const out = defaultFaults();
  for (const part of spec.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new RangeError(`Fault "${part}" needs a value (key=value)`);
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (key === "rule") {
      out.floodRules.push(_parseRule(raw));
      continue;
    }
    if (key === "fail") {
      out.errorRules.push(_parseErrorRule(raw));
      continue;
    }
    if (key === "corrupt_file") {
      if (!/^\d+$/.test(raw)) throw new RangeError(`Fault corrupt_file needs a file id, got "${raw}"`);
      out.corruptFiles.push(raw);
      continue;
    }
    const def = KEYS[key];
    if (!def) {
      throw new RangeError(
        `Unknown fault "${key}" (known: ${[...Object.keys(KEYS), ...LIST_KEYS].join(", ")})`,
      );
    }
    const n = def.kind === "bytes" ? _parseBytes(key, raw) : _parseNumber(key, raw);
    if (def.kind === "prob" && n > 1) {
      throw new RangeError(`Fault "${key}" is a probability between 0 and 1, got "${raw}"`);
    }
    out[def.field] = n;
  }
  return out;
}

/**
 * A seeded pseudo-random generator (mulberry32) returning floats in [0, 1). Same seed, same
 * sequence: tests and benchmarks replay identical fault patterns.
 */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
