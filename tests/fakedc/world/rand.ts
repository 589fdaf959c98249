/** Seeded randomness and stable hashing so every world is a pure function of its seed. */

/** Small, fast seeded PRNG (mulberry32) returning floats in [0, 1): the one the faults use. */
export { makeRng as seededRng } from "../faults.ts";

/** 32-bit FNV-1a over the string forms of the parts, finished with a murmur mix. */
export function hash32(...parts: (string | number | bigint)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = String(p) + "\u0001";
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A positive 63-bit value (access hashes, ids) derived from the parts. */
export function hash63(...parts: (string | number | bigint)[]): bigint {
  const hi = BigInt(hash32("hi", ...parts) & 0x7fffffff);
  const lo = BigInt(hash32("lo", ...parts));
  const v = (hi << 32n) | lo;
  return v === 0n ? 1n : v;
}

/** Pick one element with the generator. */
export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}
