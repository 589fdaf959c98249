/** Bytes of bitmap per KV value: Deno KV values are limited to 64 KiB. */
export const BITMAP_CHUNK_BYTES = 64 * 1024;

/** Parts covered by one bitmap chunk. */
export const PARTS_PER_CHUNK = BITMAP_CHUNK_BYTES * 8;

/** True when part `part` is set in a bitmap (bit i of byte i>>3, least significant bit first). */
export function partDone(bitmap: Uint8Array, part: number): boolean {
  const byte = part >> 3;
  return byte < bitmap.length && (bitmap[byte] & (1 << (part & 7))) !== 0;
}

/** Splits part numbers into per-chunk masks: chunk index -> bitmap of that chunk's parts. */
export function partMasks(parts: readonly number[]): Map<number, Uint8Array> {
  const byChunk = new Map<number, number[]>();
  for (const p of parts) {
    if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`Invalid part number ${p}`);
    const c = Math.floor(p / PARTS_PER_CHUNK);
    const list = byChunk.get(c) ?? [];
    list.push(p - c * PARTS_PER_CHUNK);
    byChunk.set(c, list);
  }
  const out = new Map<number, Uint8Array>();
  for (const [c, local] of byChunk) {
    const mask = new Uint8Array((Math.max(...local) >> 3) + 1);
    for (const p of local) mask[p >> 3] |= 1 << (p & 7);
    out.set(c, mask);
  }
  return out;
}

/** ORs two chunk bitmaps into a new array as long as the longer one. */
export function orBitmaps(a: Uint8Array | undefined, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(a?.length ?? 0, b.length));
  if (a) out.set(a);
  for (let i = 0; i < b.length; i++) out[i] |= b[i];
  return out;
}

/** Joins stored chunks (by index) into one bitmap, trimmed after the last non-zero byte. */
export function joinChunks(chunks: ReadonlyMap<number, Uint8Array>): Uint8Array {
  let end = 0;
  for (const [c, bytes] of chunks) {
    let last = bytes.length;
    while (last > 0 && bytes[last - 1] === 0) last--;
    if (last > 0) end = Math.max(end, c * BITMAP_CHUNK_BYTES + last);
  }
  const out = new Uint8Array(end);
  for (const [c, bytes] of chunks) {
    const at = c * BITMAP_CHUNK_BYTES;
    if (at < end) out.set(bytes.subarray(0, Math.min(bytes.length, end - at)), at);
  }
  return out;
}
