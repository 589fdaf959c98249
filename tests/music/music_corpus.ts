/**
 * The music-recognition corpus, generated per run: synthetic tracks (synth_track.ts), half of
 * them encoded into a tagged library (mp3, m4a, flac, ogg, in folders), and for every track a
 * 10 s excerpt at a seeded offset with pink noise added, re-encoded as a Telegram voice note
 * (Ogg Opus, mono, 48 kHz, 32 kbit/s). Used by tests/music and `deno task bench music`.
 */
import { join } from "node:path";
import { runTool } from "../../lib/tools/run_tool.ts";
import type { ResolvedTool } from "../../lib/tools/tool_types.ts";
import { pinkNoise, rms, scaleToRms, seededRandom, SYNTH_RATE, synthTrack, toS16le } from "./synth_track.ts";

/** One generated track. */
export interface CorpusTrack {
  n: number;
  title: string;
  artist: string;
  seconds: number;
  /** Library file, or undefined for a track kept out of the library. */
  file?: string;
  /** Whether the library file carries title/artist tags ("Artist - Title.ext" names the rest). */
  tagged: boolean;
  /** The voice-note excerpt and where it starts in the track. */
  query: string;
  queryOffsetSec: number;
}

/** The whole corpus. */
export interface MusicCorpus {
  dir: string;
  libraryDir: string;
  tracks: CorpusTrack[];
}

/** How big a corpus to make. */
export interface CorpusOptions {
  dir: string;
  ffmpeg: ResolvedTool;
  /** Tracks in all (default 40), the first `library` of which go into the library (default 20). */
  tracks?: number;
  library?: number;
  /** Seed of everything: melodies, offsets, noise (default 1). */
  seed?: number;
  /** Signal-to-noise ratio of the queries in dB (default 10). */
  snrDb?: number;
  excerptSec?: number;
  /** ffmpeg processes at once (default 4; each encodes a batch of tracks). */
  concurrency?: number;
  signal?: AbortSignal;
}

const ADJECTIVES = ["Glass", "Silver", "Quiet", "Northern", "Paper", "Hollow", "Amber", "Velvet"];
const NOUNS = ["Harbour", "Lanterns", "Orchard", "Tides", "Engines", "Meadow", "Signals"];
const ARTISTS = ["Nova Quartet", "The Lowlands", "Mira Sol", "Copper Field", "Anna Vey", "Static Choir"];
const FORMATS = [
  { ext: "mp3", args: ["-c:a", "libmp3lame", "-b:a", "128k"] },
  { ext: "m4a", args: ["-c:a", "aac", "-b:a", "128k"] },
  { ext: "flac", args: ["-c:a", "flac"] },
  { ext: "ogg", args: ["-c:a", "libvorbis", "-q:a", "4"] },
];

/** Generates the corpus under `opts.dir` (library in `<dir>/library`, queries in `<dir>/queries`). */
export async function makeMusicCorpus(opts: CorpusOptions): Promise<MusicCorpus> {
  const total = opts.tracks ?? 40, inLibrary = opts.library ?? 20, seed = opts.seed ?? 1;
  const libraryDir = join(opts.dir, "library"), queries = join(opts.dir, "queries");
  await Deno.mkdir(libraryDir, { recursive: true });
  await Deno.mkdir(queries, { recursive: true });
  const rnd = seededRandom(seed * 7919);
  const tracks: CorpusTrack[] = Array.from({ length: total }, (_, n) => {
    const seconds = 30 + Math.floor(rnd() * 11);
    const excerpt = opts.excerptSec ?? 10;
    const title = `${ADJECTIVES[n % ADJECTIVES.length]} ${NOUNS[(n * 3 + seed) % NOUNS.length]} ${n + 1}`;
    const artist = ARTISTS[(n + seed) % ARTISTS.length];
    const lib = n < inLibrary;
    const tagged = lib && n % 10 !== 9;
    const fmt = FORMATS[n % FORMATS.length];
    const name = tagged
      ? `track_${String(n + 1).padStart(2, "0")}.${fmt.ext}`
      : `${artist} - ${title}.${fmt.ext}`;
    return {
      n,
      title,
      artist,
      seconds,
      file: lib ? join(libraryDir, n % 3 === 0 ? artist : "", name) : undefined,
      tagged,
      query: join(queries, `q${String(n + 1).padStart(2, "0")}.ogg`),
      queryOffsetSec: Math.round(rnd() * (seconds - excerpt) * 100) / 100,
    };
  });
  // Tracks go to ffmpeg in batches: its start-up costs more CPU than encoding a short track.
  const todo = Array.from(
    { length: Math.ceil(total / BATCH) },
    (_, b) => tracks.slice(b * BATCH, (b + 1) * BATCH),
  );
  const lanes = await Promise.allSettled(Array.from({ length: opts.concurrency ?? 4 }, async () => {
    try {
      for (let batch = todo.shift(); batch; batch = todo.shift()) await _make(batch, seed, opts);
    } catch (err) {
      todo.length = 0; // the other lanes stop after their current batch, and are awaited
      throw err;
    }
  }));
  const failed = lanes.find((l) => l.status === "rejected");
  if (failed) throw failed.reason;
  return { dir: opts.dir, libraryDir, tracks };
}

const BATCH = 5;

// One ffmpeg per batch: stdin holds each track then its noisy excerpt, cut apart by sample counts.
async function _make(batch: CorpusTrack[], seed: number, opts: CorpusOptions): Promise<void> {
  opts.signal?.throwIfAborted();
  const pieces: Float32Array[] = [];
  const outputs: Array<{ args: string[] }> = [];
  for (const t of batch) {
    const pcm = synthTrack(seed * 1000 + t.n, t.seconds);
    if (t.file) {
      const fmt = FORMATS[t.n % FORMATS.length];
      const tags = t.tagged ? ["-metadata", `title=${t.title}`, "-metadata", `artist=${t.artist}`] : [];
      await Deno.mkdir(join(t.file, ".."), { recursive: true });
      pieces.push(pcm);
      outputs.push({ args: [...fmt.args, ...tags, t.file] });
    }
    pieces.push(noisyExcerpt(pcm, t, seed, opts));
    outputs.push({ args: [...VOICE_NOTE, t.query] });
  }
  const all = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  const graph = [`[0:a]asplit=${pieces.length}${pieces.map((_, i) => `[s${i}]`).join("")}`];
  let at = 0;
  pieces.forEach((p, i) => {
    all.set(p, at);
    graph.push(`[s${i}]atrim=start_sample=${at}:end_sample=${at + p.length},asetpts=PTS-STARTPTS[o${i}]`);
    at += p.length;
  });
  const args = ["-hide_banner", "-v", "error", "-y", "-f", "s16le", "-ar", String(SYNTH_RATE), "-ac", "1"];
  args.push("-i", "pipe:0", "-filter_complex", graph.join(";"));
  outputs.forEach((o, i) => args.push("-map", `[o${i}]`, ...o.args));
  await runTool(opts.ffmpeg, args, { stdin: toS16le(all), signal: opts.signal, stdout: "discard" });
}

/** ffmpeg output arguments of a Telegram voice note: Ogg Opus, mono, 48 kHz, 32 kbit/s. */
export const VOICE_NOTE = [
  "-c:a",
  "libopus",
  "-b:a",
  "32k",
  "-ac",
  "1",
  "-ar",
  "48000",
  "-application",
  "voip",
];

/** The excerpt of `pcm` a query holds, with pink noise at the corpus' SNR. */
export function noisyExcerpt(
  pcm: Float32Array,
  t: Pick<CorpusTrack, "n" | "queryOffsetSec">,
  seed: number,
  opts: Pick<CorpusOptions, "snrDb" | "excerptSec">,
): Float32Array {
  const from = Math.round(t.queryOffsetSec * SYNTH_RATE);
  const clip = pcm.slice(from, from + Math.round((opts.excerptSec ?? 10) * SYNTH_RATE));
  const noise = scaleToRms(
    pinkNoise(seed * 31 + t.n, clip.length),
    rms(clip) / 10 ** ((opts.snrDb ?? 10) / 20),
  );
  for (let i = 0; i < clip.length; i++) clip[i] += noise[i];
  return clip;
}
