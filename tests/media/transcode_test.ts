import assert from "node:assert/strict";
import { join } from "node:path";
import { transcodeProcessor } from "../../lib/media/transcode.ts";
import { probeProcessor } from "../../lib/media/probe.ts";
import { parseEncoders, pickEncoder } from "../../lib/media/pick_encoder.ts";
import { itemOf, listFiles, makeCtx, makeVideo, makeVoice } from "./media_fixtures.ts";

Deno.test("transcode h264 with --max-height scales down with the software encoder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clip = await makeVideo(dir, 1, "320x240");
    const ctx = await makeCtx(dir, { transcode: { codec: "h264", maxHeight: 120, crf: 30 } });
    const item = await itemOf(clip, "video");
    assert.equal(transcodeProcessor.accepts(item, ctx.options), true);
    const r = await transcodeProcessor.run(item, ctx);
    assert.equal(r.status, "ok", JSON.stringify(r.warning));
    assert.equal(r.metadata.encoder, "libx264");
    assert.equal(r.files[0].path, join(dir, "clip.h264.mp4"));
    const p = await probeProcessor.run(await itemOf(r.files[0].path, "video"), ctx);
    assert.equal(p.metadata.height, 120);
    assert.equal(p.metadata.width, 160);
    assert.equal(p.metadata.video_codec, "h264");
    assert.equal(p.metadata.audio_codec, "aac");
    assert.deepEqual(await listFiles(dir), ["clip.h264.mp4", "clip.mp4"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transcode copy remuxes; audio goes to Opus", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clip = await makeVideo(dir, 1);
    const voice = await makeVoice(dir, 1, "note.ogg");
    const ctx = await makeCtx(dir, { transcode: { codec: "copy", audio: "opus" } });
    const r = await transcodeProcessor.run(await itemOf(clip, "video"), ctx);
    assert.equal(r.status, "ok");
    assert.equal(r.metadata.encoder, "copy");
    const a = await transcodeProcessor.run(await itemOf(voice, "voice"), ctx);
    assert.equal(a.status, "ok");
    const p = await probeProcessor.run(await itemOf(a.files[0].path, "audio"), ctx);
    assert.equal(p.metadata.audio_codec, "opus");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transcode of corrupt media or on timeout warns and leaves no half-written file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = join(dir, "bad.mp4");
    await Deno.writeFile(bad, new Uint8Array(4096).fill(7));
    const ctx = await makeCtx(dir, { transcode: { codec: "h264" } });
    const r = await transcodeProcessor.run(await itemOf(bad, "video"), ctx);
    assert.equal(r.status, "failed");
    assert.equal(r.warning?.code, "TOOL_FAILED");
    const clip = await makeVideo(dir, 3, "640x480", "long.mp4");
    const slow = await makeCtx(dir, { transcode: { codec: "hevc" }, timeoutMs: 50 });
    const t = await transcodeProcessor.run(await itemOf(clip, "video"), slow);
    assert.equal(t.status, "failed");
    assert.match(t.warning!.message, /timed out/);
    assert.deepEqual(await listFiles(dir), ["bad.mp4", "long.mp4"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transcode is not asked for when --transcode is off, and audio only with an audio codec", () => {
  const item = { path: "/x/a.mp4", kind: "video" as const, size: 1 };
  assert.equal(transcodeProcessor.accepts(item, {}), false);
  assert.equal(
    transcodeProcessor.accepts({ ...item, kind: "voice" }, { transcode: { codec: "h264" } }),
    false,
  );
  assert.equal(
    transcodeProcessor.accepts({ ...item, kind: "voice" }, { transcode: { codec: "h264", audio: "aac" } }),
    true,
  );
});

Deno.test("pickEncoder prefers NVENC, then VA-API, then QSV, only with the device present", () => {
  const all = parseEncoders(
    " V....D libx264   libx264 H.264\n V....D h264_nvenc  NVENC\n V....D h264_vaapi  VAAPI\n" +
      " V..... h264_qsv  QSV\n V....D libx265  x265\n V....D hevc_vaapi  VAAPI\n A..... aac  AAC\n",
  );
  assert.ok(all.has("h264_qsv") && all.has("aac"));
  const none = pickEncoder("h264", all, { devices: {} });
  assert.equal(none.encoder, "libx264");
  assert.equal(
    pickEncoder("h264", all, { devices: { nvidia: true, renderNode: "/dev/dri/renderD128" } }).encoder,
    "h264_nvenc",
  );
  const va = pickEncoder("hevc", all, {
    devices: { renderNode: "/dev/dri/renderD128" },
    maxHeight: 720,
    crf: 25,
  });
  assert.equal(va.encoder, "hevc_vaapi");
  assert.deepEqual(va.inputArgs, ["-vaapi_device", "/dev/dri/renderD128"]);
  assert.equal(va.filter, "scale=-2:'min(ih,720)',format=nv12,hwupload");
  assert.deepEqual(va.codecArgs, ["-c:v", "hevc_vaapi", "-qp", "25"]);
  const qsv = pickEncoder("h264", new Set(["h264_qsv"]), { devices: { renderNode: "/dev/dri/renderD128" } });
  assert.equal(qsv.hardware, "qsv");
  assert.equal(pickEncoder("h264", all, { devices: { nvidia: true }, hardware: "none" }).encoder, "libx264");
  assert.equal(pickEncoder("hevc", new Set(), { devices: {} }).encoder, "libx265");
});
