/** splitForUpload: a video into playable pieces in the job's cache, anything else into pieces + manifest. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { splitForUpload } from "../../../lib/app/upload/split_for_upload.ts";
import { parseManifest } from "../../../lib/engine/split_manifest.ts";
import type { UploadSource } from "../../../lib/engine/upload_source.ts";
import { ffmpegMake, realTools } from "../../media/media_fixtures.ts";

const SIG = new AbortController().signal;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function _all(src: UploadSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(0, SIG)) parts.push(c);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

Deno.test("split for upload: a video becomes playable pieces under the cache, removed by cleanup", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_upsplit_" });
  try {
    const src = await ffmpegMake(join(dir, "trip.mp4"), [
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=6:size=320x240:rate=25",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-b:v",
      "300k",
      "-g",
      "25",
    ]);
    const size = (await Deno.stat(src)).size;
    const { ffmpeg, ffprobe } = await realTools();
    const limit = Math.ceil(size / 3);
    const s = await splitForUpload(src, {
      limitBytes: limit,
      cacheDir: `${dir}/cache/job1`,
      ffmpeg,
      ffprobe,
    });
    assert.equal(s.kind, "video");
    assert.ok(s.sources.length >= 3);
    for (const p of s.sources) {
      assert.ok(p.size! <= limit);
      assert.equal(p.mime, "video/mp4");
      assert.match(p.name, /^trip\.\d{3}\.mp4$/);
      assert.equal((await _all(p)).length, p.size);
    }
    assert.equal([...Deno.readDirSync(`${dir}/cache/job1`)].length, 1);
    // a rerun (after a kill) cuts the same bytes into the same folder: a resumed upload stays valid
    const hashes = async (x: typeof s) => await Promise.all(x.sources.map(async (p) => sha(await _all(p))));
    const first = await hashes(s);
    const again = await splitForUpload(src, {
      limitBytes: limit,
      cacheDir: `${dir}/cache/job1`,
      ffmpeg,
      ffprobe,
    });
    assert.deepEqual(await hashes(again), first);
    assert.equal([...Deno.readDirSync(`${dir}/cache/job1`)].length, 1);
    await s.cleanup();
    assert.equal([...Deno.readDirSync(`${dir}/cache/job1`)].length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("split for upload: other files, and videos that cannot be cut, go as pieces + manifest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_upsplit_gen_" });
  try {
    const data = join(dir, "notes.tar");
    await Deno.writeFile(data, new Uint8Array(250_000).map((_, i) => (i * 7) % 256));
    const s = await splitForUpload(data, { limitBytes: 100_000, cacheDir: `${dir}/cache` });
    assert.equal(s.kind, "pieces");
    assert.deepEqual(s.sources.map((x) => x.name), [
      "notes.tar.001",
      "notes.tar.002",
      "notes.tar.003",
      "notes.tar.tgsplit.json",
    ]);
    assert.deepEqual(parseManifest(new TextDecoder().decode(await _all(s.sources[3]))), s.manifest);
    // one keyframe for the whole clip: no copy-cut fits, the generic split takes over and says why
    const gop = await ffmpegMake(join(dir, "still.mp4"), [
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=4:size=320x240:rate=25",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-b:v",
      "300k",
      "-g",
      "1000",
    ]);
    const { ffmpeg, ffprobe } = await realTools();
    const size = (await Deno.stat(gop)).size;
    const v = await splitForUpload(gop, {
      limitBytes: Math.ceil(size / 2),
      cacheDir: `${dir}/cache`,
      ffmpeg,
      ffprobe,
    });
    assert.equal(v.kind, "pieces");
    assert.match(v.warning ?? "", /keyframes too far apart/);
    assert.deepEqual(v.sources.map((x) => x.name), [
      "still.mp4.001",
      "still.mp4.002",
      "still.mp4.tgsplit.json",
    ]);
    assert.deepEqual([...Deno.readDirSync(`${dir}/cache`)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
