/**
 * Music recognition end to end with real fpcalc, ffmpeg and ffprobe on a corpus generated for
 * this run (music_corpus.ts): 20 library tracks, 40 noisy voice-note excerpts (20 of tracks kept
 * out of the library), the index cache, a corrupt library file, a video note, fpcalc missing.
 */
import assert from "node:assert/strict";
import { extname, join } from "node:path";
import { ToolFailedError, ToolMissingError } from "../../lib/core/errors.ts";
import { ExitCode } from "../../lib/core/exit_codes.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { runTool } from "../../lib/tools/run_tool.ts";
import type { ResolvedTool } from "../../lib/tools/tool_types.ts";
import { buildLibraryIndex, CACHE_NAME } from "../../lib/music/library_index.ts";
import { LocalMusicMatcher } from "../../lib/music/local_matcher.ts";
import { MusicLibraryError, UnreadableMediaError } from "../../lib/music/music_errors.ts";
import type { MatchResult } from "../../lib/music/music_matcher.ts";
import { openMusicLibrary } from "../../lib/music/open_music_library.ts";
import { fingerprintFile } from "../../lib/music/run_fpcalc.ts";
import { makeMusicCorpus, type MusicCorpus } from "./music_corpus.ts";

const searchPath = Deno.env.get("PATH") ?? "";

/** The error `fn` rejects with, checked to be a `type` whose message includes `text`. */
async function rejection<E extends Error>(
  fn: () => Promise<unknown>,
  type: new (...a: never[]) => E,
  text = "",
): Promise<E> {
  const err = await fn().then(() => undefined, (e) => e);
  assert.ok(err instanceof type, `expected ${type.name}, got ${err}`);
  assert.ok(err.message.includes(text), err.message);
  return err;
}

async function tools(): Promise<{ ffmpeg: ResolvedTool; ffprobe: ResolvedTool; fpcalc: ResolvedTool }> {
  const at = { searchPath, cacheDir: "/nonexistent", version: false };
  const [ffmpeg, ffprobe, fpcalc] = await Promise.all([
    findTool("ffmpeg", at),
    findTool("ffprobe", at),
    findTool("fpcalc", at),
  ]);
  return { ffmpeg, ffprobe, fpcalc };
}

/** Matches every query, a few at a time (each is one fpcalc run). */
async function matchAll(matcher: LocalMusicMatcher, corpus: MusicCorpus): Promise<MatchResult[]> {
  const out: MatchResult[] = new Array(corpus.tracks.length);
  const todo = corpus.tracks.map((_, i) => i);
  await Promise.all(Array.from({ length: 3 }, async () => {
    for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
      out[i] = await matcher.match(corpus.tracks[i].query);
    }
  }));
  return out;
}

Deno.test("music recognition over a generated library and noisy voice notes", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-music-" });
  try {
    const { ffmpeg, ffprobe, fpcalc } = await tools();
    let corpus!: MusicCorpus;
    await t.step("generate 40 tracks (20 in the library) and their voice-note excerpts", async () => {
      corpus = await makeMusicCorpus({ dir, ffmpeg });
      assert.deepEqual(corpus.tracks.filter((c) => c.file).length, 20);
    });

    let built!: Awaited<ReturnType<typeof buildLibraryIndex>>;
    let matcher!: LocalMusicMatcher;
    await t.step("index the library: 20 tracks, names from tags or file names", async () => {
      const warnings: string[] = [];
      built = await buildLibraryIndex({
        dir: corpus.libraryDir,
        fpcalc,
        ffprobe,
        onWarning: (w) => warnings.push(w),
      });
      matcher = new LocalMusicMatcher(built.index, fpcalc);
      assert.deepEqual(warnings, []);
      assert.equal(built.stats.fingerprinted, 20);
      const names = new Set(built.index.tracks.map((x) => `${x.artist} / ${x.title}`));
      for (const c of corpus.tracks.filter((c) => c.file)) assert.ok(names.has(`${c.artist} / ${c.title}`));
    });

    await t.step(
      "finds ≥ 90% of library excerpts by title and artist, no false match outside it",
      async () => {
        const results = await matchAll(matcher, corpus);
        let found = 0, falseMatches = 0;
        corpus.tracks.forEach((c, i) => {
          const r = results[i];
          if (c.file && r.matched && r.title === c.title && r.artist === c.artist) found++;
          // A library excerpt named as another track is a false match too.
          if (r.matched && (!c.file || r.title !== c.title)) falseMatches++;
        });
        const outside = corpus.tracks.filter((c) => !c.file).length;
        console.log(
          `music: found ${found}/20 library excerpts (${(found / 20 * 100).toFixed(0)}%), ` +
            `${falseMatches} false matches (${outside} clips not in the library), ` +
            `index of 20 tracks built in ${built.stats.elapsedMs} ms`,
        );
        assert.ok(found >= 18, `found only ${found} of 20`);
        assert.deepEqual(falseMatches, 0);
      },
    );

    await t.step("a rebuild takes every fingerprint from the cache", async () => {
      assert.ok((await Deno.stat(join(corpus.libraryDir, CACHE_NAME))).isFile);
      const again = await buildLibraryIndex({ dir: corpus.libraryDir, fpcalc, ffprobe });
      assert.deepEqual(again.stats.fingerprinted, 0);
      assert.deepEqual(again.stats.reused, 20);
      assert.deepEqual(again.index.tracks.map((x) => x.title), built.index.tracks.map((x) => x.title));
      assert.deepEqual(again.index.tracks[3].values, built.index.tracks[3].values);
      // A file that changed (here its mtime) is fingerprinted again, and only that one.
      const touched = built.index.tracks[0].path;
      await Deno.utime(touched, new Date(), new Date(Date.now() + 5000));
      const third = await buildLibraryIndex({ dir: corpus.libraryDir, fpcalc, ffprobe });
      assert.deepEqual([third.stats.fingerprinted, third.stats.reused], [1, 19]);
      const left = [...Deno.readDirSync(corpus.libraryDir)].filter((e) => e.name.includes(".part"));
      assert.deepEqual(left, [], "no temp file left beside the cache");
    });

    await t.step("a video note (MP4) is recognised like a voice note", async () => {
      const track = corpus.tracks[2];
      const mp4 = join(dir, "round.mp4");
      await runTool(ffmpeg, [
        ...["-hide_banner", "-v", "error", "-y", "-i", track.query],
        ...["-f", "lavfi", "-i", "color=c=teal:s=240x240:r=25", "-shortest"],
        ...[
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          "-pix_fmt",
          "yuv420p",
          "-c:a",
          "aac",
          "-b:a",
          "64k",
          mp4,
        ],
      ]);
      const r = await matcher.match(mp4);
      assert.ok(r.matched, JSON.stringify(r));
      assert.deepEqual([r.title, r.artist], [track.title, track.artist]);
      assert.ok(
        Math.abs(r.offsetSec! - track.queryOffsetSec) < 1,
        `offset ${r.offsetSec} vs ${track.queryOffsetSec}`,
      );
    });

    await t.step("a corrupt library file is skipped with a warning, and not retried", async () => {
      const lib = join(dir, "lib2");
      await Deno.mkdir(join(lib, "sub"), { recursive: true });
      await Deno.copyFile(corpus.tracks[0].file!, join(lib, "good.mp3"));
      await Deno.writeTextFile(join(lib, "sub", "broken.mp3"), "this is not audio\n".repeat(100));
      await Deno.writeTextFile(join(lib, "notes.txt"), "not media, not looked at");
      const seen: string[] = [];
      const first = await buildLibraryIndex({ dir: lib, fpcalc, ffprobe, onWarning: (w) => seen.push(w) });
      assert.deepEqual(first.index.tracks.map((x) => x.rel), ["good.mp3"]);
      assert.deepEqual([first.stats.files, first.stats.skipped], [2, 1]);
      assert.deepEqual(seen.length, 1);
      assert.ok(/^Skipped .*broken\.mp3: /.test(seen[0]), seen[0]);
      const second = await buildLibraryIndex({ dir: lib, fpcalc, ffprobe, onWarning: (w) => seen.push(w) });
      assert.deepEqual(second.stats.fingerprinted, 0, "the broken file's failure is cached too");
      assert.deepEqual(seen.length, 2);
      // A timeout says nothing about the file: not an unreadable file (the index retries it next time).
      const slow = await fingerprintFile(fpcalc, join(lib, "good.mp3"), { timeoutMs: 1 }).catch((e) => e);
      assert.ok(slow instanceof ToolFailedError && /timed out/.test(slow.message), String(slow));
      // A query fpcalc cannot read is a typed error, not a "no match".
      await rejection(
        () => matcher.match(join(lib, "sub", "broken.mp3")),
        UnreadableMediaError,
        "Cannot fingerprint",
      );
    });

    await t.step("an empty library answers empty_library; a missing one is a usage error", async () => {
      const empty = join(dir, "empty");
      await Deno.mkdir(empty);
      const { matcher: none, stats } = await openMusicLibrary({ dir: empty, searchPath, cacheDir: dir });
      assert.deepEqual(stats.files, 0);
      assert.deepEqual(await none.match(corpus.tracks[0].query), {
        matched: false,
        backend: "local",
        reason: "empty_library",
      });
      const err = await rejection(
        () => openMusicLibrary({ dir: join(dir, "nope"), searchPath, cacheDir: dir }),
        MusicLibraryError,
        "does not exist",
      );
      assert.deepEqual(err.exitCode, ExitCode.USAGE);
    });

    await t.step("an abort stops the build; what was fingerprinted is kept for the next one", async () => {
      const lib = join(dir, "lib4");
      await Deno.mkdir(lib);
      for (const i of [0, 1, 2]) {
        await Deno.copyFile(corpus.tracks[i].file!, join(lib, `${i}${extname(corpus.tracks[i].file!)}`));
      }
      const stop = new AbortController();
      const reason = new Error("stopped by the test");
      const err = await buildLibraryIndex({
        dir: lib,
        fpcalc,
        concurrency: 1,
        signal: stop.signal,
        onProgress: (done) => done === 1 && stop.abort(reason),
      }).then(() => undefined, (e) => e);
      assert.equal(err, reason);
      const next = await buildLibraryIndex({ dir: lib, fpcalc });
      assert.deepEqual([next.stats.reused, next.stats.fingerprinted], [1, 2]);
    });

    await t.step("without fpcalc: a typed error naming the package", async () => {
      const bare = join(dir, "bin");
      await Deno.mkdir(bare);
      const err = await rejection(
        () => openMusicLibrary({ dir: corpus.libraryDir, searchPath: bare, cacheDir: dir }),
        ToolMissingError,
      );
      assert.deepEqual(err.tool, "fpcalc");
      assert.ok(err.message.includes("apt-get install libchromaprint-tools"), err.message);
      // fpcalc removed after it was found: the index build stops with the same error, no file skipped.
      const gone: ResolvedTool = { name: "fpcalc", path: join(bare, "fpcalc"), source: "path" };
      const fresh = join(dir, "lib3");
      await Deno.mkdir(fresh);
      await Deno.copyFile(corpus.tracks[1].file!, join(fresh, "a.m4a"));
      await rejection(() => buildLibraryIndex({ dir: fresh, fpcalc: gone }), ToolMissingError);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fpcalc is found with its version, as doctor lists it", async () => {
  const fpcalc = await findTool("fpcalc", { searchPath, cacheDir: "/nonexistent" });
  assert.ok(/^\d+\.\d+/.test(fpcalc.version ?? ""), String(fpcalc.version));
});
