/**
 * An inverted index over library sub-fingerprints that proposes (track, offset) alignments.
 * Each 32-bit value is cut into four 8-bit bands; a query value votes for every library position
 * sharing a band with it, at offset = library position - query position. A true alignment
 * collects votes from most query positions even at a bit error rate of 0.3 (a band survives with
 * probability 0.7^8 ≈ 6%, four chances per position), while chance votes spread evenly over all
 * offsets, so only the few best-voted offsets need the full bit comparison.
 */

const BANDS = 4;
const BAND_BITS = 8;
const BUCKETS = 1 << BAND_BITS;

/** A proposed alignment: track number, offset of the query in it, and its votes. */
export interface Candidate {
  track: number;
  offset: number;
  votes: number;
}

/** Band postings of every library track, for candidate offsets of a query. */
export class OffsetIndex {
  readonly #tracks: readonly Uint32Array[];
  // Per band: bucket starts (BUCKETS + 1) and the (track, position) of each posting.
  readonly #starts: Uint32Array[] = [];
  readonly #postTrack: Uint32Array[] = [];
  readonly #postPos: Uint32Array[] = [];

  constructor(tracks: readonly Uint32Array[]) {
    this.#tracks = tracks;
    const total = tracks.reduce((n, t) => n + t.length, 0);
    for (let b = 0; b < BANDS; b++) {
      const shift = b * BAND_BITS;
      const starts = new Uint32Array(BUCKETS + 1);
      for (const t of tracks) for (const v of t) starts[((v >>> shift) & (BUCKETS - 1)) + 1]++;
      for (let k = 0; k < BUCKETS; k++) starts[k + 1] += starts[k];
      const fill = starts.slice(0, BUCKETS);
      const postTrack = new Uint32Array(total);
      const postPos = new Uint32Array(total);
      tracks.forEach((t, ti) => {
        for (let p = 0; p < t.length; p++) {
          const at = fill[(t[p] >>> shift) & (BUCKETS - 1)]++;
          postTrack[at] = ti;
          postPos[at] = p;
        }
      });
      this.#starts.push(starts);
      this.#postTrack.push(postTrack);
      this.#postPos.push(postPos);
    }
  }

  /**
   * The `limit` best-voted alignments whose overlap with the query is at least `minOverlap`
   * sub-fingerprints, most votes first.
   */
  candidates(query: Uint32Array, limit: number, minOverlap: number): Candidate[] {
    const m = query.length;
    // One vote cell per (track, offset), offset from -(m - 1) to length - 1.
    const base = new Uint32Array(this.#tracks.length + 1);
    this.#tracks.forEach((t, i) => base[i + 1] = base[i] + t.length + m - 1);
    const votes = new Uint16Array(base[this.#tracks.length]);
    for (let b = 0; b < BANDS; b++) {
      const shift = b * BAND_BITS;
      const starts = this.#starts[b], postTrack = this.#postTrack[b], postPos = this.#postPos[b];
      for (let i = 0; i < m; i++) {
        const k = (query[i] >>> shift) & (BUCKETS - 1);
        for (let at = starts[k], end = starts[k + 1]; at < end; at++) {
          const cell = base[postTrack[at]] + postPos[at] - i + m - 1;
          if (votes[cell] < 0xffff) votes[cell]++;
        }
      }
    }
    return this.#best(votes, base, m, limit, minOverlap);
  }

  #best(votes: Uint16Array, base: Uint32Array, m: number, limit: number, minOverlap: number): Candidate[] {
    const top: Candidate[] = [];
    for (let ti = 0; ti < this.#tracks.length; ti++) {
      const n = this.#tracks[ti].length;
      for (let cell = base[ti]; cell < base[ti + 1]; cell++) {
        const v = votes[cell];
        if (v === 0 || (top.length === limit && v <= top[limit - 1].votes)) continue;
        const offset = cell - base[ti] - (m - 1);
        if (Math.min(m, n - offset) - Math.max(0, -offset) < minOverlap) continue;
        let at = top.length === limit ? limit - 1 : top.length;
        top[at] = { track: ti, offset, votes: v };
        while (at > 0 && top[at - 1].votes < v) {
          [top[at - 1], top[at]] = [top[at], top[at - 1]];
          at--;
        }
      }
    }
    return top;
  }
}
