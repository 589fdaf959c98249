import assert from "node:assert/strict";
import { renderGrabInfo } from "../../lib/cli/render_grab_info.ts";
import type { ShowInfoReport } from "../../lib/app/grab/show_info.ts";

Deno.test("renderGrabInfo: facts, a column-aligned table with estimates marked, the values --quality takes", () => {
  const report: ShowInfoReport = {
    exit_code: 3,
    infos: [{
      url: "https://youtu.be/dQw4w9WgXcQ",
      platform: "youtube",
      id: "dQw4w9WgXcQ",
      title: "Never Gonna Give You Up",
      uploader: "Rick Astley",
      duration: 212,
      thumbnail: "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg",
      webpage_url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      extractor: "Youtube",
      selected: ["137", "140"],
      qualities: [
        {
          format_id: "140",
          ext: "m4a",
          acodec: "mp4a.40.2",
          audio_only: true,
          video_only: false,
          size: 3_433_495,
        },
        {
          format_id: "137",
          ext: "mp4",
          width: 1920,
          height: 1080,
          fps: 25,
          vcodec: "avc1.640028",
          audio_only: false,
          video_only: true,
          size: 53_000_000,
          size_estimated: true,
        },
      ],
    }],
    failed: [{
      url: "https://example.com/x",
      error: { code: "GRAB_UNSUPPORTED", message: "Not a video link yt-dlp can read" },
    }],
  };
  const text = renderGrabInfo(report);
  const lines = text.split("\n");
  assert.equal(lines[0], "Never Gonna Give You Up");
  assert.equal(lines[1], "  Youtube · Rick Astley · 3:32");
  assert.match(text, /^ {2}thumbnail: https:\/\/i\.ytimg\.com/m);
  const header = lines.find((l) => l.startsWith("  ID"))!;
  const row = lines.find((l) => l.startsWith("  137"))!;
  // columns line up under their headings
  for (const [col, value] of [["RESOLUTION", "1920x1080"], ["SIZE", "~50.5 MiB"], ["VIDEO", "avc1.640028"]]) {
    assert.equal(row.indexOf(value), header.indexOf(col), col);
  }
  assert.match(lines.find((l) => l.startsWith("  140"))!, /audio only .*mp4a\.40\.2 +3\.3 MiB/);
  assert.match(text, /--quality as asked takes: 137 \+ 140/);
  assert.match(text, /Choose with --quality <ID>, --quality 1080p, best or worst; --audio mp3\|m4a\|opus/);
  assert.match(text, /^https:\/\/example\.com\/x\n {2}failed: Not a video link yt-dlp can read$/m);
});
