/**
 * Chromaprint fingerprints as `fpcalc -raw` prints them: one unsigned 32-bit sub-fingerprint per
 * ~0.124 s of audio, each bit a sign of a spectral-chroma filter (algorithm 2, the default).
 */

/** A decoded fingerprint: the raw sub-fingerprints and the audio duration fpcalc reported. */
export interface Fingerprint {
  values: Uint32Array;
  durationSec: number;
}

/** Seconds of audio per sub-fingerprint: chromaprint hops 1365 samples at 11025 Hz. */
export const ITEM_SECONDS = 1365 / 11025;

/**
 * Decodes `fpcalc -raw -json` output. Values may come signed (`-signed`) or unsigned; both become
 * unsigned 32-bit. Throws SyntaxError/RangeError on output that is not a fingerprint.
 */
export function decodeFpcalcJson(text: string): Fingerprint {
  const parsed = JSON.parse(text) as { duration?: unknown; fingerprint?: unknown };
  const raw = parsed.fingerprint;
  if (!Array.isArray(raw)) throw new RangeError("fpcalc output has no raw fingerprint array");
  const values = new Uint32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
      throw new RangeError(`fpcalc output holds a value that is not a 32-bit integer: ${v}`);
    }
    values[i] = v >>> 0;
  }
  const duration = typeof parsed.duration === "number" ? parsed.duration : values.length * ITEM_SECONDS;
  return { values, durationSec: duration };
}

/** Packs sub-fingerprints as base64 of little-endian 32-bit words (the index cache's form). */
export function packValues(values: Uint32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v, true));
  let bin = "";
  // btoa takes a binary string; build it in slices so long tracks do not overflow the argument list.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** The inverse of packValues; throws RangeError on text that is not a whole number of words. */
export function unpackValues(text: string): Uint32Array {
  const bin = atob(text);
  if (bin.length % 4 !== 0) throw new RangeError("packed fingerprint is not a whole number of words");
  const out = new Uint32Array(bin.length / 4);
  for (let i = 0; i < out.length; i++) {
    const o = i * 4;
    out[i] = (bin.charCodeAt(o) | (bin.charCodeAt(o + 1) << 8) | (bin.charCodeAt(o + 2) << 16) |
      (bin.charCodeAt(o + 3) << 24)) >>> 0;
  }
  return out;
}
