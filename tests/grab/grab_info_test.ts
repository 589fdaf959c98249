import assert from "node:assert/strict";
import { fetchInfo } from "../../lib/grab/fetch_info.ts";
import { heightsOf, mapInfo } from "../../lib/grab/grab_info.ts";
import { detectPlatform } from "../../lib/grab/platforms.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { startSite } from "./_site.ts";

// A trimmed `yt-dlp -J` of a YouTube video: muxed, video-only, audio-only and storyboard formats.
const YOUTUBE_J = {
  id: "dQw4w9WgXcQ",
  title: "Never Gonna Give You Up",
  uploader: "Rick Astley",
  duration: 212,
  thumbnail: "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg",
  webpage_url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
  extractor_key: "Youtube",
  format_id: "137+140",
  formats: [
    {
      format_id: "sb0",
      format_note: "storyboard",
      protocol: "mhtml",
      ext: "mhtml",
      vcodec: "none",
      acodec: "none",
    },
    {
      format_id: "140",
      ext: "m4a",
      vcodec: "none",
      acodec: "mp4a.40.2",
      filesize: 3_433_495,
      tbr: 129.5,
      format_note: "medium",
    },
    {
      format_id: "18",
      ext: "mp4",
      width: 640,
      height: 360,
      fps: 25,
      vcodec: "avc1.42001E",
      acodec: "mp4a.40.2",
      filesize_approx: 12_000_000,
      tbr: 452,
    },
    {
      format_id: "137",
      ext: "mp4",
      width: 1920,
      height: 1080,
      fps: 25,
      vcodec: "avc1.640028",
      acodec: "none",
      tbr: 2000,
    },
  ],
  requested_formats: [{ format_id: "137" }, { format_id: "140" }],
};

Deno.test("mapInfo turns yt-dlp's formats into typed qualities with sizes or estimates", () => {
  const info = mapInfo(YOUTUBE_J, { url: "https://youtu.be/dQw4w9WgXcQ", platform: "youtube" });
  assert.equal(info.title, "Never Gonna Give You Up");
  assert.equal(info.uploader, "Rick Astley");
  assert.equal(info.duration, 212);
  assert.equal(info.thumbnail, YOUTUBE_J.thumbnail);
  assert.equal(info.platform, "youtube");
  assert.deepEqual(info.selected, ["137", "140"]);
  assert.deepEqual(
    info.qualities.map((q) => q.format_id),
    ["140", "18", "137"],
    "storyboards are not qualities",
  );
  const [audio, muxed, video] = info.qualities;
  assert.deepEqual(
    [audio.audio_only, audio.video_only, audio.size, audio.size_estimated, audio.acodec, audio.vcodec],
    [true, false, 3_433_495, undefined, "mp4a.40.2", undefined],
  );
  assert.deepEqual([muxed.height, muxed.fps, muxed.size, muxed.size_estimated], [360, 25, 12_000_000, true]);
  // no size from the site: bitrate × duration
  assert.deepEqual([video.video_only, video.size, video.size_estimated], [true, 2000 * 1000 / 8 * 212, true]);
  assert.deepEqual(heightsOf(info), [1080, 360]);
});

Deno.test("mapInfo reads a playlist as its first video and says how many there are", () => {
  const info = mapInfo(
    { _type: "playlist", title: "List", entries: [YOUTUBE_J, { ...YOUTUBE_J, id: "b" }] },
    {
      url: "https://www.youtube.com/playlist?list=PL1",
      platform: "youtube",
    },
  );
  assert.equal(info.entries, 2);
  assert.equal(info.id, "dQw4w9WgXcQ");
  assert.throws(() => mapInfo("nope", { url: "x", platform: "generic" }), TypeError);
});

Deno.test("fetchInfo reads the loopback HLS master with the real yt-dlp: three heights and the audio rendition", async () => {
  const site = await startSite();
  try {
    const ytDlp = await findTool("yt-dlp", {
      searchPath: Deno.env.get("PATH") ?? "",
      cacheDir: "/nonexistent",
    });
    const url = `${site.base}/hls/master.m3u8`;
    const info = await fetchInfo(ytDlp, url, { platform: detectPlatform(url), quality: "240p" });
    assert.equal(info.platform, "generic");
    assert.equal(info.extractor, "Generic");
    assert.deepEqual(heightsOf(info), [360, 240, 144]);
    const audio = info.qualities.filter((q) => q.audio_only);
    assert.deepEqual(audio.map((q) => q.format_id), ["aud-English"]);
    assert.ok(info.qualities.filter((q) => q.height).every((q) => q.video_only && q.fps === 25));
    assert.deepEqual(info.selected, ["400", "aud-English"], "240p: the 240 variant plus the audio rendition");
  } finally {
    await site.close();
  }
});
