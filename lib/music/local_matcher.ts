import type { ResolvedTool } from "../tools/tool_types.ts";
import { alignAt, type Alignment } from "./bit_errors.ts";
import { ITEM_SECONDS } from "./fingerprint.ts";
import type { LibraryIndex } from "./library_index.ts";
import type { MatchResult, MusicMatcher } from "./music_matcher.ts";
import { OffsetIndex } from "./offset_index.ts";
import { fingerprintFile } from "./run_fpcalc.ts";

/** When an alignment counts as the same recording. */
export interface MatchThresholds {
  /** Highest accepted bit error rate; unrelated audio sits near 0.5. */
  maxBer: number;
  /** Fewest sub-fingerprints (~0.124 s each) the query and the track must share. */
  minOverlap: number;
  /** Fewest changes between neighbouring query sub-fingerprints: silence or one held tone is no evidence. */
  minVariety: number;
}

/** The defaults (docs/music.md says how they were chosen). */
export const DEFAULT_THRESHOLDS: MatchThresholds = { maxBer: 0.25, minOverlap: 40, minVariety: 20 };

// Candidate alignments checked bit by bit, and the neighbouring offsets tried around each.
const CANDIDATES = 24;
const NEIGHBOURS = 1;
// Seconds of a query fingerprinted: a long voice note adds cost, not evidence.
const QUERY_SECONDS = 60;

/**
 * The local backend of MusicMatcher: fingerprints the query with fpcalc and searches the library
 * index (candidate offsets from OffsetIndex, then the bit error rate over each overlap).
 *
 * @example
 * ```ts
 * const matcher = new LocalMusicMatcher(index, fpcalc);
 * const r = await matcher.match("/tmp/voice.ogg", signal);
 * console.log(r.matched ? `${r.artist} - ${r.title}` : r.reason);
 * ```
 */
export class LocalMusicMatcher implements MusicMatcher {
  readonly #index: LibraryIndex;
  readonly #fpcalc: ResolvedTool;
  readonly #thresholds: MatchThresholds;
  readonly #offsets: OffsetIndex;

  constructor(index: LibraryIndex, fpcalc: ResolvedTool, thresholds: Partial<MatchThresholds> = {}) {
    this.#index = index;
    this.#fpcalc = fpcalc;
    this.#thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
    this.#offsets = new OffsetIndex(index.tracks.map((t) => t.values));
  }

  /** Fingerprints `path` (UnreadableMediaError when fpcalc cannot decode it) and matches it. */
  async match(path: string, signal?: AbortSignal): Promise<MatchResult> {
    if (this.#index.tracks.length === 0) return { matched: false, backend: "local", reason: "empty_library" };
    const fp = await fingerprintFile(this.#fpcalc, path, { maxSeconds: QUERY_SECONDS, signal });
    return this.matchValues(fp.values);
  }

  /** Matches an already decoded query fingerprint (fpcalc -raw values). */
  matchValues(query: Uint32Array): MatchResult {
    const t = this.#thresholds;
    if (this.#index.tracks.length === 0) return { matched: false, backend: "local", reason: "empty_library" };
    if (query.length < t.minOverlap || _variety(query) < t.minVariety) {
      return { matched: false, backend: "local", reason: "too_short" };
    }
    const best = this.#bestAlignment(query);
    if (!best) return { matched: false, backend: "local", reason: "no_match" };
    const track = this.#index.tracks[best.track];
    const who = { title: track.title, ...(track.artist !== undefined ? { artist: track.artist } : {}) };
    const overlapSec = _round(best.overlap * ITEM_SECONDS, 1);
    if (best.ber > t.maxBer) {
      return {
        matched: false,
        backend: "local",
        reason: "no_match",
        closest: { ...who, ber: _round(best.ber, 3), overlapSec },
      };
    }
    return {
      matched: true,
      ...who,
      backend: "local",
      confidence: _round(1 - 2 * best.ber, 3),
      path: track.path,
      offsetSec: _round(best.offset * ITEM_SECONDS, 1),
      ber: _round(best.ber, 3),
      overlapSec,
    };
  }

  // The lowest bit error rate among the voted candidates and their neighbouring offsets.
  #bestAlignment(query: Uint32Array): (Alignment & { track: number }) | undefined {
    const minOverlap = this.#thresholds.minOverlap;
    let best: (Alignment & { track: number }) | undefined;
    const tried = new Set<number>();
    for (const c of this.#offsets.candidates(query, CANDIDATES, minOverlap)) {
      const ref = this.#index.tracks[c.track].values;
      for (let d = c.offset - NEIGHBOURS; d <= c.offset + NEIGHBOURS; d++) {
        const key = c.track * 4_194_304 + d + 2_097_152;
        if (tried.has(key)) continue;
        tried.add(key);
        const a = alignAt(query, ref, d);
        if (a.overlap >= minOverlap && (!best || a.ber < best.ber)) best = { ...a, track: c.track };
      }
    }
    return best;
  }
}

function _variety(values: Uint32Array): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) n++;
  return n;
}

function _round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
