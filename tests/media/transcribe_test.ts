import assert from "node:assert/strict";
import { join } from "node:path";
import { transcribeProcessor } from "../../lib/media/transcribe.ts";
import type { Transcript } from "../../lib/media/subtitles.ts";
import {
  ffmpegMake,
  itemOf,
  listFiles,
  makeCtx,
  makeVideo,
  makeVoice,
  SAMPLE_VOICE,
  testModel,
  truncate,
} from "./media_fixtures.ts";

async function withDirs(fn: (media: string, cache: string) => Promise<void>): Promise<void> {
  const media = await Deno.makeTempDir({ prefix: "tgpipe-media-" });
  const cache = await Deno.makeTempDir({ prefix: "tgpipe-cache-" });
  try {
    await fn(media, cache);
  } finally {
    await Deno.remove(media, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
}

Deno.test("transcribe the sample voice note with real whisper-cli: srt and vtt beside it", async () => {
  await withDirs(async (media, cache) => {
    const voice = join(media, "audio_1.ogg");
    await Deno.copyFile(SAMPLE_VOICE, voice);
    const ctx = await makeCtx(cache, { transcribe: { model: await testModel(), threads: 2 } });
    const r = await transcribeProcessor.run(await itemOf(voice, "voice"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.equal(r.metadata.cached, false);
    const t = r.metadata.transcript as Transcript;
    assert.equal(t.text, "hello world");
    assert.equal(t.language, "en");
    assert.equal(t.segments.length, 1);
    assert.equal(t.segments[0].start_ms, 0);
    // whisper pads to a 30 s window; the segment is clipped to the real audio length.
    assert.ok(t.segments[0].end_ms <= Math.ceil(t.duration_s! * 1000) && t.segments[0].end_ms > 0);
    assert.deepEqual(await listFiles(media), ["audio_1.ogg", "audio_1.srt", "audio_1.vtt"]);
    const srt = await Deno.readTextFile(join(media, "audio_1.srt"));
    assert.match(srt, /^1\n00:00:00,000 --> 00:00:\d\d,\d{3}\nhello world\n$/);
    const vtt = await Deno.readTextFile(join(media, "audio_1.vtt"));
    assert.match(vtt, /^WEBVTT\n\n00:00:00\.000 --> 00:00:\d\d\.\d{3}\nhello world\n$/);
    // Scratch WAVs are gone; only the cached transcript stays in the cache.
    assert.equal((await listFiles(cache)).filter((f) => !f.startsWith("tmp/")).length, 1);
    assert.deepEqual((await listFiles(cache)).filter((f) => f.startsWith("tmp/")), []);
  });
});

Deno.test("a second transcription of the same content is a cache hit: whisper-cli is not run", async () => {
  await withDirs(async (media, cache) => {
    const a = await makeVoice(media, 2, "a.ogg");
    const model = await testModel();
    const first = await transcribeProcessor.run(
      await itemOf(a, "voice"),
      await makeCtx(cache, { transcribe: { model } }),
    );
    assert.equal(first.status, "ok", JSON.stringify(first.warning));
    // Same bytes under another name in another "chat"; whisper-cli now points nowhere, so any
    // attempt to run it would fail the task.
    await Deno.mkdir(join(media, "other_chat"));
    const b = join(media, "other_chat", "b.ogg");
    await Deno.copyFile(a, b);
    const ctx = await makeCtx(cache, { transcribe: { model, formats: ["srt", "txt", "json"] } });
    ctx.tools = {
      ...ctx.tools,
      whisperCli: { name: "whisper-cli", path: "/nonexistent/whisper-cli", source: "configured" },
    };
    const second = await transcribeProcessor.run(await itemOf(b, "voice"), ctx);
    assert.equal(second.status, "ok", JSON.stringify(second.warning));
    assert.equal(second.metadata.cached, true);
    assert.deepEqual(second.metadata.transcript, first.metadata.transcript);
    assert.deepEqual(second.files.map((f) => f.role), ["srt", "txt", "json"]);
    assert.equal(await Deno.readTextFile(join(media, "other_chat", "b.txt")), "hello world\n");
    assert.equal(
      JSON.parse(await Deno.readTextFile(join(media, "other_chat", "b.transcript.json"))).text,
      "hello world",
    );
  });
});

Deno.test("long media is transcribed in chunks with offsets added", async () => {
  await withDirs(async (media, cache) => {
    const long = await makeVoice(media, 25, "long.ogg");
    const ctx = await makeCtx(cache, { transcribe: { model: await testModel(), chunkSeconds: 10 } });
    const r = await transcribeProcessor.run(await itemOf(long, "audio"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    const t = r.metadata.transcript as Transcript;
    assert.equal(t.segments.length, 3);
    const near = (a: number, b: number) => Math.abs(a - b) < 200;
    assert.ok(
      near(t.segments[0].start_ms, 0) && near(t.segments[0].end_ms, 10_000),
      JSON.stringify(t.segments),
    );
    assert.ok(near(t.segments[1].start_ms, 10_000) && near(t.segments[1].end_ms, 20_000));
    assert.ok(near(t.segments[2].start_ms, 20_000) && near(t.segments[2].end_ms, 25_000));
    assert.ok(near(t.duration_s! * 1000, 25_000));
    assert.equal(t.text, "hello world hello world hello world");
  });
});

Deno.test("a 16 kHz mono WAV goes to whisper-cli as it is, without ffmpeg", async () => {
  await withDirs(async (media, cache) => {
    const wav = await ffmpegMake(join(media, "speech.wav"), [
      "-f",
      "lavfi",
      "-i",
      "sine=duration=2",
      "-ar",
      "16000",
      "-ac",
      "1",
      "-c:a",
      "pcm_s16le",
    ]);
    const ctx = await makeCtx(cache, { transcribe: { model: await testModel() } });
    ctx.tools = { whisperCli: ctx.tools.whisperCli };
    const r = await transcribeProcessor.run(await itemOf(wav, "audio"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.deepEqual((r.metadata.transcript as Transcript).segments, [{
      start_ms: 0,
      end_ms: 2000,
      text: "hello world",
    }]);
    assert.deepEqual(await listFiles(media), ["speech.srt", "speech.vtt", "speech.wav"]);
  });
});

Deno.test("a round video transcribes from its audio track; a silent video is skipped", async () => {
  await withDirs(async (media, cache) => {
    const clip = await makeVideo(media, 1, "240x240", "round.mp4");
    const ctx = await makeCtx(cache, { transcribe: { model: await testModel() } });
    const r = await transcribeProcessor.run(await itemOf(clip, "round"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    const silent = await transcribeProcessor.run(await itemOf(clip, "video"), {
      ...ctx,
      previous: { probe: { processor: "probe", status: "ok", files: [], metadata: { has_audio: false } } },
    });
    assert.equal(silent.status, "skipped");
  });
});

Deno.test("missing or invalid model, missing tool, corrupt media, timeout: warnings, no files", async () => {
  await withDirs(async (media, cache) => {
    const voice = await makeVoice(media, 2, "v.ogg");
    const cut = await truncate(voice, join(media, "cut.ogg"), 100);
    const junkModel = join(cache, "junk-model.bin");
    await Deno.writeTextFile(junkModel, "not a ggml model");
    const model = await testModel();
    const cases: Array<[string, Awaited<ReturnType<typeof makeCtx>>, string, RegExp]> = [
      [
        "missing model",
        await makeCtx(cache, { transcribe: { model: join(cache, "nope.bin") } }),
        voice,
        /MODEL/,
      ],
      ["invalid model", await makeCtx(cache, { transcribe: { model: junkModel } }), voice, /TOOL_FAILED/],
      [
        "no whisper-cli",
        await makeCtx(cache, { transcribe: { model } }, { tools: {} }),
        voice,
        /TOOL_MISSING/,
      ],
      ["corrupt media", await makeCtx(cache, { transcribe: { model } }), cut, /TOOL_FAILED|CORRUPT_MEDIA/],
      ["timeout", await makeCtx(cache, { transcribe: { model }, timeoutMs: 1 }), voice, /TOOL_FAILED/],
    ];
    for (const [name, ctx, path, code] of cases) {
      const r = await transcribeProcessor.run(await itemOf(path, "voice"), ctx);
      assert.equal(r.status, "failed", name);
      assert.match(r.warning!.code, code, `${name}: ${r.warning!.message}`);
      assert.equal(r.files.length, 0);
    }
    assert.deepEqual(await listFiles(media), ["cut.ogg", "v.ogg"]);
    assert.deepEqual((await listFiles(cache)).filter((f) => f.startsWith("transcripts/")), []);
  });
});

Deno.test("an abort stops transcription by rethrowing, not by a warning", async () => {
  await withDirs(async (media, cache) => {
    const voice = await makeVoice(media, 2, "v.ogg");
    const ac = new AbortController();
    const ctx = await makeCtx(cache, { transcribe: { model: await testModel() } }, { signal: ac.signal });
    const running = transcribeProcessor.run(await itemOf(voice, "voice"), ctx);
    ac.abort(new Error("user stop"));
    await assert.rejects(running, /user stop/);
    assert.deepEqual(await listFiles(media), ["v.ogg"]);
  });
});
