/**
 * `deno task bench music [--seeds 1,2,3] [--snr 10] [--scale 500]`: music recognition on generated
 * corpora (tests/music/music_corpus.ts: 20 library tracks, 20 kept out, 10 s noisy voice-note
 * excerpts of each). Per seed: found % of library excerpts, false matches, index build time (and
 * the cached rebuild), time per query (fpcalc, and the search alone). Then the search alone on a
 * library padded with `--scale` random 4-minute fingerprints, against a brute-force scan of every
 * offset of every track (the inverted index's speed-up, a ratio from one run). One JSON line last.
 */
import { join } from "node:path";
import { alignAt } from "../lib/music/bit_errors.ts";
import { buildLibraryIndex, type LibraryTrack } from "../lib/music/library_index.ts";
import { DEFAULT_THRESHOLDS, LocalMusicMatcher } from "../lib/music/local_matcher.ts";
import { fingerprintFile } from "../lib/music/run_fpcalc.ts";
import { findTool } from "../lib/tools/find_tool.ts";
import { makeMusicCorpus } from "../tests/music/music_corpus.ts";
import { seededRandom } from "../tests/music/synth_track.ts";

const flag = (name: string, def: string) => {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] : def;
};
const seeds = flag("--seeds", "1,2,3").split(",").map(Number);
const snrDb = Number(flag("--snr", "10"));
const scale = Number(flag("--scale", "500"));
const searchPath = Deno.env.get("PATH") ?? "";
const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "n/a")).split(" ").slice(0, 3).join(" ");
const at = { searchPath, cacheDir: "/nonexistent", version: false };
const [ffmpeg, ffprobe, fpcalc] = await Promise.all(
  (["ffmpeg", "ffprobe", "fpcalc"] as const).map((n) => findTool(n, at)),
);

console.log(`music bench: seeds ${seeds.join(",")}, SNR ${snrDb} dB, load ${load}`);
const perSeed = [];
let queries: Array<{ values: Uint32Array; title?: string }> = [];
let library: LibraryTrack[] = [];
for (const seed of seeds) {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-bench-music-" });
  try {
    const corpus = await makeMusicCorpus({ dir, ffmpeg, seed, snrDb });
    const built = await buildLibraryIndex({ dir: corpus.libraryDir, fpcalc, ffprobe });
    const cached = await buildLibraryIndex({ dir: corpus.libraryDir, fpcalc, ffprobe });
    const matcher = new LocalMusicMatcher(built.index, fpcalc);
    let found = 0, falseMatches = 0, fpcalcMs = 0, searchMs = 0;
    const bers: number[] = [], chance: number[] = [];
    for (const c of corpus.tracks) {
      let t = performance.now();
      const fp = await fingerprintFile(fpcalc, c.query, { maxSeconds: 60 });
      fpcalcMs += performance.now() - t;
      t = performance.now();
      const r = matcher.matchValues(fp.values);
      searchMs += performance.now() - t;
      queries.push({ values: fp.values, title: c.file ? c.title : undefined });
      if (c.file && r.matched && r.title === c.title && r.artist === c.artist) found++;
      if (r.matched && (!c.file || r.title !== c.title)) falseMatches++;
      if (r.matched && c.file) bers.push(r.ber!);
      if (!r.matched && r.closest && !c.file) chance.push(r.closest.ber);
    }
    const n = corpus.tracks.length;
    const row = {
      seed,
      found_pct: Math.round((found / 20) * 100),
      false_matches: falseMatches,
      index_ms: built.stats.elapsedMs,
      cached_index_ms: cached.stats.elapsedMs,
      fpcalc_ms_per_query: Math.round(fpcalcMs / n),
      search_ms_per_query: Math.round((searchMs / n) * 100) / 100,
      worst_true_ber: Math.max(...bers),
      best_chance_ber: Math.min(...chance),
    };
    perSeed.push(row);
    console.log(
      `seed ${seed}: found ${found}/20 (${row.found_pct}%), ${falseMatches} false matches; index ` +
        `${row.index_ms} ms (cached rebuild ${row.cached_index_ms} ms); per query fpcalc ` +
        `${row.fpcalc_ms_per_query} ms + search ${row.search_ms_per_query} ms; BER of matches <= ` +
        `${row.worst_true_ber}, closest outsider ${row.best_chance_ber} (threshold ${DEFAULT_THRESHOLDS.maxBer})`,
    );
    library = built.index.tracks;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Scale: the last corpus' tracks plus `scale` random 4-minute fingerprints (about 1900 values each).
const rnd = seededRandom(7);
const padded: LibraryTrack[] = [...library];
for (let i = 0; i < scale; i++) {
  const values = Uint32Array.from({ length: 1900 }, () => Math.floor(rnd() * 0x100000000) >>> 0);
  padded.push({ path: join("/pad", `${i}`), rel: `${i}`, title: `pad ${i}`, durationSec: 235, values });
}
queries = queries.slice(-40);
const big = new LocalMusicMatcher({ dir: "/pad", tracks: padded }, fpcalc);
let t = performance.now();
let scaleFound = 0, scaleFalse = 0;
for (const q of queries) {
  const r = big.matchValues(q.values);
  if (r.matched && r.title === q.title) scaleFound++;
  else if (r.matched) scaleFalse++;
}
const indexedMs = (performance.now() - t) / queries.length;
t = performance.now();
const bruteQueries = queries.slice(0, 5);
for (const q of bruteQueries) _brute(q.values, padded);
const bruteMs = (performance.now() - t) / bruteQueries.length;
const frames = padded.reduce((s, x) => s + x.values.length, 0);
console.log(
  `scale: ${padded.length} tracks (${frames} sub-fingerprints): search ${indexedMs.toFixed(1)} ms/query ` +
    `with the offset index, ${bruteMs.toFixed(0)} ms/query scanning every offset (${
      (bruteMs / indexedMs).toFixed(0)
    }x); still found ${scaleFound}/${queries.filter((q) => q.title).length}, ${scaleFalse} false matches`,
);
console.log(JSON.stringify({
  bench: "music",
  load,
  snr_db: snrDb,
  seeds: perSeed,
  scale: {
    tracks: padded.length,
    indexed_ms: indexedMs,
    brute_ms: bruteMs,
    speedup: bruteMs / indexedMs,
    found: scaleFound,
    false_matches: scaleFalse,
  },
}));

function _brute(q: Uint32Array, tracks: LibraryTrack[]): number {
  let best = 1;
  for (const tr of tracks) {
    for (let d = -(q.length - 1); d < tr.values.length; d++) {
      const a = alignAt(q, tr.values, d);
      if (a.overlap >= DEFAULT_THRESHOLDS.minOverlap && a.ber < best) best = a.ber;
    }
  }
  return best;
}
