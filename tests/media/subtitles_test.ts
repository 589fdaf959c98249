import assert from "node:assert/strict";
import { join } from "node:path";
import { formatTranscript, type Transcript } from "../../lib/media/subtitles.ts";
import { parseWhisperJson } from "../../lib/media/parse_whisper_json.ts";
import { readWavInfo } from "../../lib/media/wav_info.ts";

const T: Transcript = {
  language: "en",
  text: "hello world again",
  segments: [
    { start_ms: 0, end_ms: 1500, text: "hello world" },
    { start_ms: 3_723_004, end_ms: 3_725_000, text: "again" },
  ],
};

Deno.test("srt and vtt carry hours, minutes, seconds and milliseconds", () => {
  assert.equal(
    formatTranscript(T, "srt"),
    "1\n00:00:00,000 --> 00:00:01,500\nhello world\n\n2\n01:02:03,004 --> 01:02:05,000\nagain\n",
  );
  assert.equal(
    formatTranscript(T, "vtt"),
    "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nhello world\n\n01:02:03.004 --> 01:02:05.000\nagain\n",
  );
  assert.equal(formatTranscript(T, "txt"), "hello world again\n");
  assert.deepEqual(JSON.parse(formatTranscript(T, "json")), T);
  assert.throws(() => formatTranscript(T, "doc" as never), RangeError);
});

Deno.test("whisper JSON segments are shifted by the chunk offset and clipped to the chunk", () => {
  const json = JSON.stringify({
    result: { language: "de" },
    transcription: [
      { offsets: { from: 0, to: 4000 }, text: " eins" },
      { offsets: { from: 4000, to: 30000 }, text: " zwei " },
      { offsets: { from: 30000, to: 30000 }, text: "   " },
    ],
  });
  assert.deepEqual(parseWhisperJson(json, { offsetMs: 600_000, chunkMs: 7000 }), {
    language: "de",
    segments: [
      { start_ms: 600_000, end_ms: 604_000, text: "eins" },
      { start_ms: 604_000, end_ms: 607_000, text: "zwei" },
    ],
  });
  assert.throws(() => parseWhisperJson("{}", { offsetMs: 0 }), SyntaxError);
  assert.throws(() => parseWhisperJson("not json", { offsetMs: 0 }), SyntaxError);
});

Deno.test("readWavInfo walks RIFF chunks (LIST before data) and rejects non-WAV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pcm = 16000 * 2 * 3; // 3 s of 16 kHz mono s16
    const list = new TextEncoder().encode("LIST\x04\x00\x00\x00INFO");
    const head = new Uint8Array(12 + 24 + list.length + 8);
    const v = new DataView(head.buffer);
    head.set(new TextEncoder().encode("RIFF"), 0);
    v.setUint32(4, head.length - 8 + pcm, true);
    head.set(new TextEncoder().encode("WAVEfmt "), 8);
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, 16000, true);
    v.setUint32(28, 32000, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    head.set(list, 36);
    head.set(new TextEncoder().encode("data"), 36 + list.length);
    v.setUint32(40 + list.length, pcm, true);
    const wav = join(dir, "a.wav");
    const body = new Uint8Array(head.length + pcm);
    body.set(head);
    await Deno.writeFile(wav, body);
    assert.deepEqual(await readWavInfo(wav), {
      format: 1,
      channels: 1,
      sample_rate: 16000,
      bits: 16,
      duration_s: 3,
    });
    const bad = join(dir, "b.wav");
    await Deno.writeTextFile(bad, "nope");
    await assert.rejects(readWavInfo(bad), SyntaxError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
