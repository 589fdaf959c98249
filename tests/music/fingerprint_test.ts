/** The pure parts of music recognition: fpcalc output, packing, bit errors, names, the matcher's rules. */
import assert from "node:assert/strict";
import { alignAt, popcount32 } from "../../lib/music/bit_errors.ts";
import { decodeFpcalcJson, packValues, unpackValues } from "../../lib/music/fingerprint.ts";
import type { LibraryIndex } from "../../lib/music/library_index.ts";
import { DEFAULT_THRESHOLDS, LocalMusicMatcher } from "../../lib/music/local_matcher.ts";
import { OffsetIndex } from "../../lib/music/offset_index.ts";
import { tagsFromName } from "../../lib/music/read_tags.ts";
import { seededRandom } from "./synth_track.ts";

const rnd = seededRandom(42);
const word = () => Math.floor(rnd() * 0x100000000) >>> 0;
const words = (n: number) => Uint32Array.from({ length: n }, word);

/** Flips each bit with probability `p`. */
function noisy(values: Uint32Array, p: number): Uint32Array {
  return values.map((v) => {
    for (let b = 0; b < 32; b++) if (rnd() < p) v ^= 1 << b;
    return v >>> 0;
  });
}

Deno.test("fpcalc -raw -json output decodes to unsigned 32-bit values, signed or not", () => {
  const fp = decodeFpcalcJson('{"duration": 12.5, "fingerprint": [-1, 0, 4294967295, 558758263]}');
  assert.deepEqual([...fp.values], [0xffffffff, 0, 0xffffffff, 558758263]);
  assert.equal(fp.durationSec, 12.5);
  assert.throws(() => decodeFpcalcJson('{"duration": 1}'), RangeError);
  assert.throws(() => decodeFpcalcJson('{"fingerprint": [1.5]}'), RangeError);
  assert.throws(() => decodeFpcalcJson('{"fingerprint": [4294967296]}'), RangeError);
  assert.throws(() => decodeFpcalcJson("ERROR"), SyntaxError);
});

Deno.test("packed fingerprints survive the round trip; a torn one is refused", () => {
  const values = words(70_000); // more than one btoa slice
  assert.deepEqual(unpackValues(packValues(values)), values);
  assert.deepEqual(unpackValues(packValues(new Uint32Array())), new Uint32Array());
  assert.throws(() => unpackValues(btoa("abc")), RangeError);
});

Deno.test("popcount and the bit error rate over an overlap", () => {
  assert.deepEqual([0, 0xffffffff, 0x80000001, 0x0f0f0f0f].map(popcount32), [0, 32, 2, 16]);
  for (const v of words(200)) assert.equal(popcount32(v), v.toString(2).replaceAll("0", "").length);
  const ref = words(100);
  assert.deepEqual(alignAt(ref.slice(30, 60), ref, 30), { offset: 30, overlap: 30, ber: 0 });
  // The query hangs off both ends of the reference: only the 10 shared values count.
  assert.deepEqual(alignAt(ref.slice(90), ref.slice(0, 100), 90), { offset: 90, overlap: 10, ber: 0 });
  assert.equal(alignAt(ref.slice(0, 10).map((v) => ~v >>> 0), ref, 0).ber, 1);
  assert.equal(alignAt(ref, ref, 200).overlap, 0);
});

Deno.test("names from file names when tags are missing", () => {
  assert.deepEqual(tagsFromName("/m/Nova Quartet - Glass Harbour.flac"), {
    title: "Glass Harbour",
    artist: "Nova Quartet",
  });
  assert.deepEqual(tagsFromName("/m/track_01.mp3"), { title: "track 01" });
});

Deno.test("the offset index puts a planted alignment first", () => {
  const tracks = Array.from({ length: 30 }, () => words(400));
  const query = noisy(tracks[17].slice(123, 183), 0.2);
  const [best] = new OffsetIndex(tracks).candidates(query, 5, 40);
  assert.equal(best.track, 17);
  assert.ok(Math.abs(best.offset - 123) <= 1, String(best.offset));
});

Deno.test("the local matcher accepts a close alignment and refuses chance, short and uniform queries", () => {
  const tracks = Array.from({ length: 20 }, (_, i) => ({
    path: `/m/${i}.mp3`,
    rel: `${i}.mp3`,
    title: `Song ${i}`,
    artist: "Band",
    durationSec: 50,
    values: words(400),
  }));
  const index: LibraryIndex = { dir: "/m", tracks };
  const matcher = new LocalMusicMatcher(index, { name: "fpcalc", path: "/unused", source: "path" });
  const hit = matcher.matchValues(noisy(tracks[4].values.slice(200, 260), 0.15));
  assert.ok(hit.matched, JSON.stringify(hit));
  assert.equal(hit.title, "Song 4");
  assert.equal(hit.offsetSec, Math.round(200 * 1365 / 11025 * 10) / 10);
  // Too many flipped bits: the same alignment, but not clearly below chance.
  const far = matcher.matchValues(noisy(tracks[4].values.slice(200, 260), 0.3));
  assert.equal(far.matched, false);
  const chance = matcher.matchValues(words(60));
  assert.equal(chance.matched, false);
  assert.ok(!chance.matched && chance.reason === "no_match" && chance.closest!.ber > 0.35);
  const short = matcher.matchValues(tracks[4].values.slice(0, DEFAULT_THRESHOLDS.minOverlap - 1));
  assert.deepEqual(short, { matched: false, backend: "local", reason: "too_short" });
  // Silence or one held tone repeats one value: equal to any silent stretch, so no evidence.
  const uniform = matcher.matchValues(new Uint32Array(80).fill(627964279));
  assert.equal(!uniform.matched && uniform.reason, "too_short");
});
