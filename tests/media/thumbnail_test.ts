import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import { thumbnailProcessor } from "../../lib/media/thumbnail.ts";
import { optimizeImageProcessor } from "../../lib/media/optimize_image.ts";
import { ffmpegMake, itemOf, listFiles, makeCtx, makeImage, makeVideo, truncate } from "./media_fixtures.ts";

async function dims(path: string): Promise<[number, number, string]> {
  const m = await sharp(path).metadata();
  return [m.width!, m.height!, m.format!];
}

Deno.test("thumbnail of a photo with sharp applies EXIF rotation and the size limit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const photo = join(dir, "rot.jpg");
    // 400x200 pixels stored with orientation 6 (rotate 90°): people see it 200 wide, 400 high.
    await sharp({ create: { width: 400, height: 200, channels: 3, background: "#3a6" } })
      .jpeg().withMetadata({ orientation: 6 }).toFile(photo);
    const ctx = await makeCtx(dir, { image: { engine: "sharp", thumbSize: 100 } });
    const r = await thumbnailProcessor.run(await itemOf(photo, "photo"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.equal(r.metadata.engine, "sharp");
    assert.deepEqual(await dims(r.files[0].path), [50, 100, "webp"]);
    assert.equal(r.files[0].path, join(dir, "rot.thumb.webp"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("thumbnail falls back to ffmpeg when sharp is not used (JPEG output)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const photo = await makeImage(dir, "640x480");
    const ctx = await makeCtx(dir, { image: { engine: "ffmpeg", format: "jpeg", thumbSize: 160 } });
    const r = await thumbnailProcessor.run(await itemOf(photo, "photo"), ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.equal(r.metadata.engine, "ffmpeg");
    assert.deepEqual(await dims(r.files[0].path), [160, 120, "jpeg"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("thumbnail of a video grabs a frame with both engines", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clip = await makeVideo(dir, 2, "320x240");
    for (const engine of ["sharp", "ffmpeg"] as const) {
      const ctx = await makeCtx(dir, { image: { engine, thumbSize: 64 } });
      const r = await thumbnailProcessor.run(await itemOf(clip, "video"), ctx);
      assert.equal(r.status, "ok", `${engine}: ${JSON.stringify(r.warning)}`);
      assert.deepEqual(await dims(r.files[0].path), [64, 48, "webp"]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sticker previews: webp and webm render, tgs is described and skipped with a warning", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const webp = await ffmpegMake(join(dir, "s1.webp"), [
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=512x512",
      "-frames:v",
      "1",
    ]);
    const webm = await ffmpegMake(join(dir, "s2.webm"), [
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=512x512:duration=1",
      "-c:v",
      "libvpx-vp9",
      "-deadline",
      "realtime",
    ]);
    const tgs = join(dir, "s3.tgs");
    await Deno.writeFile(
      tgs,
      gzipSync(JSON.stringify({ v: "5.5.2", w: 512, h: 512, fr: 60, ip: 0, op: 180 })),
    );
    const ctx = await makeCtx(dir, {});
    const a = await thumbnailProcessor.run(await itemOf(webp, "sticker"), ctx);
    assert.equal(a.status, "ok");
    assert.equal(a.files[0].role, "preview");
    assert.deepEqual(await dims(a.files[0].path), [320, 320, "webp"]);
    const b = await thumbnailProcessor.run(await itemOf(webm, "sticker", "video/webm"), ctx);
    assert.equal(b.status, "ok", JSON.stringify(b.warning));
    const c = await thumbnailProcessor.run(await itemOf(tgs, "sticker", "application/x-tgsticker"), ctx);
    assert.equal(c.status, "skipped");
    assert.equal(c.warning?.code, "TGS_UNSUPPORTED");
    assert.deepEqual(c.metadata.lottie, { width: 512, height: 512, fps: 60, frames: 180, duration_s: 3 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("truncated or corrupt images warn and leave no derived file, with either engine", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const photo = await makeImage(dir, "640x480", "full.jpg");
    const cut = await truncate(photo, join(dir, "cut.jpg"), 300);
    const junk = join(dir, "junk.jpg");
    await Deno.writeTextFile(junk, "not an image at all");
    for (const engine of ["sharp", "ffmpeg"] as const) {
      const ctx = await makeCtx(dir, { image: { engine, optimize: true } });
      for (const p of [cut, junk]) {
        const r = await thumbnailProcessor.run(await itemOf(p, "photo"), ctx);
        assert.equal(r.status, "failed", `${engine} ${p}`);
        assert.ok(r.warning?.code === "CORRUPT_MEDIA" || r.warning?.code === "TOOL_FAILED", r.warning?.code);
      }
      const bad = await thumbnailProcessor.run(await itemOf(junk, "photo"), ctx);
      assert.equal(bad.files.length, 0);
    }
    assert.deepEqual(await listFiles(dir), ["cut.jpg", "full.jpg", "junk.jpg"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("optimize re-encodes photos within maxSize and reports the saving", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const photo = await makeImage(dir, "1280x960", "big.png");
    const ctx = await makeCtx(dir, { image: { optimize: true, maxSize: 640, format: "jpeg" } });
    const item = await itemOf(photo, "photo");
    assert.equal(optimizeImageProcessor.accepts(item, ctx.options), true);
    assert.equal(optimizeImageProcessor.accepts(item, {}), false);
    const r = await optimizeImageProcessor.run(item, ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.deepEqual(await dims(r.files[0].path), [640, 480, "jpeg"]);
    assert.ok(Number(r.metadata.saved_percent) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
