import assert from "node:assert/strict";
import { join } from "node:path";
import { probeProcessor } from "../../lib/media/probe.ts";
import { parseProbe } from "../../lib/media/parse_probe.ts";
import {
  itemOf,
  listFiles,
  makeCtx,
  makeVideo,
  makeVoice,
  SAMPLE_VOICE,
  truncate,
} from "./media_fixtures.ts";

Deno.test("probe reads duration, codecs, resolution and bitrate of a real video", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clip = await makeVideo(dir, 2, "320x240");
    const r = await probeProcessor.run(await itemOf(clip, "video"), await makeCtx(dir));
    assert.equal(r.status, "ok");
    const m = r.metadata;
    assert.equal(m.has_video, true);
    assert.equal(m.has_audio, true);
    assert.equal(m.video_codec, "h264");
    assert.equal(m.audio_codec, "aac");
    assert.equal(m.width, 320);
    assert.equal(m.height, 240);
    assert.equal(m.fps, 25);
    assert.ok(Math.abs(Number(m.duration_s) - 2) < 0.1, `duration ${m.duration_s}`);
    assert.ok(Number(m.bitrate) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probe of the sample voice note finds opus audio and no video", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await probeProcessor.run(await itemOf(SAMPLE_VOICE, "voice"), await makeCtx(dir));
    assert.equal(r.status, "ok");
    assert.equal(r.metadata.has_video, false);
    assert.equal(r.metadata.audio_codec, "opus");
    assert.ok(Number(r.metadata.duration_s) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probe of corrupt media is a warning result, not a throw", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = join(dir, "bad.mp4");
    await Deno.writeTextFile(bad, "this is not a video");
    const r = await probeProcessor.run(await itemOf(bad, "video"), await makeCtx(dir));
    assert.equal(r.status, "failed");
    assert.equal(r.warning?.code, "TOOL_FAILED");
    assert.match(r.warning!.message, /^probe: ffprobe exited with code/);
    assert.deepEqual(await listFiles(dir), ["bad.mp4"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probe of a truncated voice note still answers or warns, never throws", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const voice = await makeVoice(dir, 3);
    const cut = await truncate(voice, join(dir, "cut.ogg"), 200);
    const r = await probeProcessor.run(await itemOf(cut, "voice"), await makeCtx(dir));
    assert.ok(r.status === "ok" || r.warning !== undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probe without ffprobe warns TOOL_MISSING", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const voice = await makeVoice(dir, 1);
    const r = await probeProcessor.run(await itemOf(voice, "voice"), await makeCtx(dir, {}, { tools: {} }));
    assert.equal(r.status, "failed");
    assert.equal(r.warning?.code, "TOOL_MISSING");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseProbe swaps width/height for rotated phone video and ignores cover art", () => {
  const info = parseProbe(JSON.stringify({
    format: { format_name: "mov,mp4", duration: "3.5", bit_rate: "1000" },
    streams: [
      { codec_type: "video", codec_name: "png", width: 10, height: 10, disposition: { attached_pic: 1 } },
      {
        codec_type: "video",
        codec_name: "hevc",
        width: 1920,
        height: 1080,
        avg_frame_rate: "30000/1001",
        side_data_list: [{ rotation: -90 }],
      },
    ],
  }));
  assert.deepEqual(info, {
    format: "mov,mp4",
    duration_s: 3.5,
    bitrate: 1000,
    has_video: true,
    has_audio: false,
    video_codec: "hevc",
    width: 1080,
    height: 1920,
    fps: 29.97,
  });
  assert.throws(() => parseProbe("{}"), SyntaxError);
});
