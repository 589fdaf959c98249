/**
 * File bytes on demand. Generated blobs compute any byte range from (seed, blob id, offset), so a
 * multi-GB file costs no memory; disk blobs read only the requested range.
 */
import type { WBlob } from "./types.ts";
import { hash32 } from "./rand.ts";

const BLOCK = 4096;

/** Read `length` bytes of a blob from `offset` (fewer at the end, none past it). */
export async function readBlob(blob: WBlob, offset: number, length: number): Promise<Uint8Array> {
  const end = Math.min(blob.size, offset + length);
  if (offset >= end) return new Uint8Array(0);
  const src = blob.source;
  if (src.kind === "gen") return _genRange(src.seed, blob.id, offset, end - offset);
  if (src.kind === "mem") return _memRange(src.parts, src.partSize, offset, end - offset);
  const f = await Deno.open(src.path, { read: true });
  try {
    await f.seek(offset, Deno.SeekMode.Start);
    const out = new Uint8Array(end - offset);
    let got = 0;
    while (got < out.length) {
      const n = await f.read(out.subarray(got));
      if (n === null) throw new RangeError(`File ${src.path} is shorter than ${blob.size} bytes`);
      got += n;
    }
    return out;
  } finally {
    f.close();
  }
}

function _memRange(parts: Uint8Array[], partSize: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let pos = 0;
  while (pos < length) {
    const abs = offset + pos;
    const p = Math.floor(abs / partSize);
    const inPart = abs - p * partSize;
    const chunk = parts[p].subarray(inPart, inPart + length - pos);
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** Fill whole 4 KB blocks with xorshift32 seeded per block, then cut the requested range. */
function _genRange(seed: number, id: bigint, offset: number, length: number): Uint8Array {
  const first = Math.floor(offset / BLOCK);
  const last = Math.floor((offset + length - 1) / BLOCK);
  const buf = new Uint8Array((last - first + 1) * BLOCK);
  const words = new Uint32Array(buf.buffer);
  const idHi = Number(id >> 32n) >>> 0, idLo = Number(id & 0xffffffffn) >>> 0;
  for (let b = first; b <= last; b++) {
    let x = hash32(seed, idHi, idLo, b) | 1;
    const base = (b - first) * (BLOCK / 4);
    for (let i = 0; i < BLOCK / 4; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[base + i] = x;
    }
  }
  const start = offset - first * BLOCK;
  return buf.subarray(start, start + length);
}
