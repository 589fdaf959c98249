/**
 * splitVideo with real ffmpeg on small generated videos: pieces under the limit, each decodes
 * from start to end with both streams, durations add up, a piece that came out too big is cut
 * again, and keyframes too far apart are a clear error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { splitVideo } from "../../lib/media/split_video.ts";
import { runTool } from "../../lib/tools/run_tool.ts";
import { ffmpegMake, realTools } from "./media_fixtures.ts";

async function _decodes(path: string): Promise<{ duration: number; kinds: string[] }> {
  const { ffmpeg, ffprobe } = await realTools();
  // a full decode: any broken frame or missing header makes ffmpeg print an error
  const r = await runTool(ffmpeg, ["-v", "error", "-nostdin", "-i", path, "-f", "null", "-"], {
    stdout: "discard",
  });
  assert.equal(r.stderrTail.trim(), "", `${path} does not decode cleanly`);
  const { stdout } = await runTool(ffprobe, [
    "-v",
    "error",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    path,
  ]);
  const doc = JSON.parse(new TextDecoder().decode(stdout));
  return {
    duration: Number(doc.format.duration),
    kinds: doc.streams.map((s: { codec_type: string }) => s.codec_type).sort(),
  };
}

/** `seconds` of testsrc + sine, H.264 with a keyframe every `gop` frames (25 fps), AAC. */
function _video(
  dir: string,
  name: string,
  seconds: number,
  gop: number,
  extra: string[] = [],
): Promise<string> {
  return ffmpegMake(join(dir, name), [
    "-f",
    "lavfi",
    "-i",
    `testsrc=duration=${seconds}:size=320x240:rate=25`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=330:duration=${seconds}`,
    ...extra,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-b:v",
    "400k",
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    "-c:a",
    "aac",
    "-b:a",
    "64k",
    "-shortest",
  ]);
}

Deno.test({
  name: "split video: keyframe cuts under the limit, every piece plays, durations add up",
  sanitizeResources: true,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_vsplit_" });
    try {
      const src = await _video(dir, "clip.mp4", 8, 25);
      const size = (await Deno.stat(src)).size;
      const limit = Math.ceil(size / 4);
      const { ffmpeg, ffprobe } = await realTools();
      await Deno.mkdir(`${dir}/pieces`);
      const split = await splitVideo(src, { limitBytes: limit, dir: `${dir}/pieces`, ffmpeg, ffprobe });
      assert.ok(split.pieces.length >= 4, `${split.pieces.length} pieces of ${size} bytes at ${limit}`);
      assert.deepEqual(split.pieces.map((p) => p.name).slice(0, 2), ["clip.001.mp4", "clip.002.mp4"]);
      let total = 0;
      for (const p of split.pieces) {
        assert.ok(p.size <= limit, `${p.name}: ${p.size} > ${limit}`);
        assert.equal((await Deno.stat(p.path)).size, p.size);
        const d = await _decodes(p.path);
        assert.deepEqual(d.kinds, ["audio", "video"]);
        total += d.duration;
      }
      assert.ok(Math.abs(total - 8) < 0.5, `pieces last ${total}s of 8s`);
      // only the pieces are left in the folder (the cut segments are gone)
      assert.deepEqual([...Deno.readDirSync(`${dir}/pieces`)].length, split.pieces.length);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("split video: a piece that comes out too big (bitrate jumps) is cut again shorter", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_vsplit_vbr_" });
  try {
    // 8 s of a still gray frame, then 4 s of noise: the average bitrate misleads the first cut
    const src = await ffmpegMake(join(dir, "vbr.mkv"), [
      "-f",
      "lavfi",
      "-i",
      "color=c=gray:size=320x240:rate=25:duration=8",
      "-f",
      "lavfi",
      "-i",
      "color=c=gray:size=320x240:rate=25:duration=4,noise=alls=90:allf=t+u",
      "-filter_complex",
      "[0:v][1:v]concat=n=2:v=1:a=0[v]",
      "-map",
      "[v]",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-crf",
      "20",
      "-g",
      "10",
      "-keyint_min",
      "10",
    ]);
    const size = (await Deno.stat(src)).size;
    const limit = Math.ceil(size / 3);
    const { ffmpeg, ffprobe } = await realTools();
    const split = await splitVideo(src, {
      limitBytes: limit,
      dir,
      ffmpeg,
      ffprobe,
      name: "vbr.mkv",
      firstCut: "bitrate",
    });
    assert.ok(split.recuts > 0, "no piece was cut again");
    for (const p of split.pieces) assert.ok(p.size <= limit, `${p.name}: ${p.size} > ${limit}`);
    const total = split.pieces.reduce((s, p) => s + p.duration_s, 0);
    assert.ok(Math.abs(total - 12) < 0.5, `pieces last ${total}s of 12s`);
    await _decodes(split.pieces.at(-1)!.path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("split video: keyframes too far apart for the limit, or no video, is a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_vsplit_gop_" });
  try {
    const src = await _video(dir, "one_gop.mp4", 6, 1000);
    const { ffmpeg, ffprobe } = await realTools();
    const size = (await Deno.stat(src)).size;
    await assert.rejects(
      splitVideo(src, { limitBytes: Math.ceil(size / 3), dir, ffmpeg, ffprobe }),
      /one_gop\.mp4 has keyframes too far apart to cut/,
    );
    const audio = await ffmpegMake(join(dir, "tone.m4a"), [
      "-f",
      "lavfi",
      "-i",
      "sine=duration=2",
      "-c:a",
      "aac",
    ]);
    await assert.rejects(
      splitVideo(audio, { limitBytes: 1000, dir, ffmpeg, ffprobe }),
      /has no video stream/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
