/**
 * Synthetic "songs" for the music-recognition tests: seeded melodies over chord progressions with
 * bass and drums, each with its own key, scale, tempo and timbres, all from one generator so they
 * are alike in kind (the same instruments, keys and rhythms recur), which makes false matches a
 * real risk. Pure TypeScript PCM; ffmpeg encodes it.
 */
import { makeRng as seededRandom } from "../fakedc/faults.ts";

/** Sample rate of the generated PCM (fpcalc works at 11025 Hz, so this keeps everything it uses). */
export const SYNTH_RATE = 22050;

const SCALES = [
  [0, 2, 4, 5, 7, 9, 11], // major
  [0, 2, 3, 5, 7, 8, 10], // natural minor
  [0, 2, 3, 5, 7, 9, 10], // dorian
  [0, 2, 4, 5, 7, 9, 10], // mixolydian
  [0, 2, 3, 5, 7, 8, 11], // harmonic minor
];
const TABLE = 2048;

/** A seeded uniform generator in [0, 1): the fake DC's seeded PRNG. */
export { seededRandom };

/** Mono PCM in [-1, 1] of one synthetic track, `seconds` long, decided entirely by `seed`. */
export function synthTrack(seed: number, seconds: number): Float32Array {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out = new Float32Array(Math.round(seconds * SYNTH_RATE));
  const beat = 60 / (84 + rnd() * 72);
  const root = 45 + Math.floor(rnd() * 12);
  const scale = pick(SCALES);
  const pitch = (degree: number, octave: number) =>
    root + 12 * (octave + Math.floor(degree / 7)) + scale[((degree % 7) + 7) % 7];
  const lead = _wavetable(rnd), pad = _wavetable(rnd), bass = _wavetable(rnd);
  const progression = Array.from({ length: 4 }, () => pick([0, 1, 2, 3, 4, 5]));
  const phrases = [_phrase(rnd), _phrase(rnd)];
  const form = [0, 0, 1, 0, 1, 1, 0, 1];
  const drums = rnd() < 0.75;
  const bars = Math.ceil(seconds / (4 * beat));
  for (let bar = 0; bar < bars; bar++) {
    const t0 = bar * 4 * beat;
    const chord = progression[bar % 4];
    for (const d of [0, 2, 4]) _note(out, pad, pitch(chord + d, 1), t0, 4 * beat, 0.09, 0.15);
    _note(out, bass, pitch(chord, 0), t0, 2 * beat, 0.22, 0.05);
    _note(out, bass, pitch(chord + pick([0, 4]), 0), t0 + 2 * beat, 2 * beat, 0.2, 0.05);
    const phrase = phrases[form[Math.floor(bar / 4) % form.length]][bar % 4];
    for (const n of phrase) {
      _note(out, lead, pitch(chord + n.degree, 2), t0 + n.at * beat, n.len * beat, 0.2, 0.03);
    }
    if (drums) {
      for (let b = 0; b < 4; b++) {
        if (b % 2 === 0) _kick(out, t0 + b * beat);
        else _noise(out, rnd, t0 + b * beat, 0.12, 0.25);
        _noise(out, rnd, t0 + (b + 0.5) * beat, 0.03, 0.06);
      }
    }
  }
  let peak = 0;
  for (const s of out) peak = Math.max(peak, Math.abs(s));
  const gain = peak > 0 ? 0.8 / peak : 0;
  for (let i = 0; i < out.length; i++) out[i] *= gain;
  return out;
}

// One bar of lead notes per entry, four bars: scale degrees above the chord root, beat positions.
function _phrase(rnd: () => number): Array<Array<{ degree: number; at: number; len: number }>> {
  let degree = Math.floor(rnd() * 5);
  return Array.from({ length: 4 }, () => {
    const notes = [];
    for (let at = 0; at < 4;) {
      const len = Math.min(4 - at, [0.5, 0.5, 1, 1, 1.5, 2][Math.floor(rnd() * 6)]);
      degree = Math.max(-2, Math.min(9, degree + Math.floor(rnd() * 5) - 2));
      if (rnd() > 0.12) notes.push({ degree, at, len });
      at += len;
    }
    return notes;
  });
}

// One period of a random harmonic timbre (sine-like to buzzy).
function _wavetable(rnd: () => number): Float32Array {
  const harmonics = Array.from(
    { length: 8 },
    (_, h) => (h === 0 ? 1 : rnd() ** 2 / (h + 1) ** (0.3 + rnd())),
  );
  const table = new Float32Array(TABLE);
  for (let i = 0; i < TABLE; i++) {
    let s = 0;
    harmonics.forEach((a, h) => s += a * Math.sin((2 * Math.PI * (h + 1) * i) / TABLE));
    table[i] = s;
  }
  return table;
}

function _note(
  out: Float32Array,
  table: Float32Array,
  midi: number,
  at: number,
  len: number,
  amp: number,
  release: number,
): void {
  const step = (440 * 2 ** ((midi - 69) / 12) * TABLE) / SYNTH_RATE;
  const start = Math.round(at * SYNTH_RATE);
  const held = Math.round(len * SYNTH_RATE);
  const end = Math.min(out.length, start + held + Math.round(release * SYNTH_RATE));
  const attack = 0.01 * SYNTH_RATE, fade = release * SYNTH_RATE;
  // The decaying part of the envelope as a running product: Math.exp per sample is the slow part.
  const shrink = Math.exp(-4 / (0.8 * SYNTH_RATE));
  let phase = 0, decaying = 0.4;
  for (let i = start; i < end; i++) {
    const k = i - start;
    let env = (k < attack ? k / attack : 1) * (0.6 + decaying);
    if (k > held) env *= 1 - (k - held) / fade;
    out[i] += amp * env * table[(phase | 0) & (TABLE - 1)];
    phase += step;
    decaying *= shrink;
  }
}

function _kick(out: Float32Array, at: number): void {
  const start = Math.round(at * SYNTH_RATE);
  const sweepShrink = Math.exp(-1 / (0.02 * SYNTH_RATE)), ampShrink = Math.exp(-1 / (0.05 * SYNTH_RATE));
  let phase = 0, sweep = 90, amp = 0.5;
  for (let k = 0; k < 0.15 * SYNTH_RATE && start + k < out.length; k++) {
    phase += (2 * Math.PI * (50 + sweep)) / SYNTH_RATE;
    out[start + k] += amp * Math.sin(phase);
    sweep *= sweepShrink;
    amp *= ampShrink;
  }
}

function _noise(out: Float32Array, rnd: () => number, at: number, len: number, amp: number): void {
  const start = Math.round(at * SYNTH_RATE);
  const shrink = Math.exp(-1 / (0.3 * len * SYNTH_RATE));
  let prev = 0, env = amp;
  for (let k = 0; k < len * SYNTH_RATE && start + k < out.length; k++) {
    const w = rnd() * 2 - 1;
    // A first difference tilts the noise towards the highs, like a hat or a snare.
    out[start + k] += env * (w - prev);
    prev = w;
    env *= shrink;
  }
}

/** Pink noise (Paul Kellet's filter over seeded white noise), scaled to RMS 1. */
export function pinkNoise(seed: number, samples: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(samples);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < samples; i++) {
    const w = rnd() * 2 - 1;
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return scaleToRms(out, 1);
}

/** Root mean square of PCM. */
export function rms(pcm: Float32Array): number {
  let s = 0;
  for (const x of pcm) s += x * x;
  return Math.sqrt(s / Math.max(1, pcm.length));
}

/** Scales PCM in place to the given RMS and returns it. */
export function scaleToRms(pcm: Float32Array, target: number): Float32Array {
  const r = rms(pcm);
  if (r > 0) { for (let i = 0; i < pcm.length; i++) pcm[i] *= target / r; }
  return pcm;
}

/** Little-endian signed 16-bit PCM bytes (ffmpeg's s16le), clipped. */
export function toS16le(pcm: Float32Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  pcm.forEach((x, i) => view.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(x * 32767))), true));
  return bytes;
}
