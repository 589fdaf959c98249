/** Set bits of a 32-bit word (SWAR popcount). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The bit error rate of `query` laid over `ref` at `offset` (query[i] against ref[i + offset]). */
export interface Alignment {
  offset: number;
  /** Sub-fingerprints compared (the overlap). */
  overlap: number;
  /** Differing bits / compared bits: 0 is identical, about 0.5 is unrelated audio. */
  ber: number;
}

/** Compares the overlap of `query` shifted by `offset` over `ref`; ber 1 when they do not overlap. */
export function alignAt(query: Uint32Array, ref: Uint32Array, offset: number): Alignment {
  const from = Math.max(0, -offset);
  const to = Math.min(query.length, ref.length - offset);
  if (to <= from) return { offset, overlap: 0, ber: 1 };
  let errors = 0;
  for (let i = from; i < to; i++) errors += popcount32(query[i] ^ ref[i + offset]);
  const overlap = to - from;
  return { offset, overlap, ber: errors / (overlap * 32) };
}
