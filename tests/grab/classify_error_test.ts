import assert from "node:assert/strict";
import { classifyYtDlpError } from "../../lib/grab/classify_error.ts";
import { GrabError } from "../../lib/grab/grab_error.ts";

const URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
const CAUSED =
  " (caused by <HTTPError 404: 'Not Found'>); please report this issue on  https://github.com/yt-dlp/yt-dlp/issues";

// stderr tails as yt-dlp prints them (the extractor lines are yt-dlp's own sentences)
const CASES: Array<[string, string, string | undefined, string]> = [
  [
    "unsupported",
    "GRAB_UNSUPPORTED",
    undefined,
    "WARNING: [generic] Falling back on generic information extractor\nERROR: Unsupported URL: https://example.com/page\n",
  ],
  [
    "unavailable",
    "GRAB_UNAVAILABLE",
    "private",
    "ERROR: [youtube] dQw4w9WgXcQ: Private video. Sign in if you've been granted access to this video\n",
  ],
  [
    "unavailable",
    "GRAB_UNAVAILABLE",
    "removed",
    "ERROR: [youtube] dQw4w9WgXcQ: Video unavailable. This video has been removed by the uploader\n",
  ],
  [
    "unavailable",
    "GRAB_UNAVAILABLE",
    "not_found",
    `ERROR: [generic] None: Unable to download webpage: HTTP Error 404: Not Found${CAUSED}\n`,
  ],
  [
    "unavailable",
    "GRAB_UNAVAILABLE",
    "forbidden",
    "ERROR: unable to download video data: HTTP Error 403: Forbidden\n",
  ],
  [
    "restricted",
    "GRAB_RESTRICTED",
    "geo",
    "ERROR: [youtube] abc: The uploader has not made this video available in your country\nThis video is not available from your location due to geo restriction\n",
  ],
  [
    "restricted",
    "GRAB_RESTRICTED",
    "age",
    "ERROR: [youtube] abc: Sign in to confirm your age. This video may be inappropriate for some users. Use --cookies-from-browser or --cookies\n",
  ],
  [
    "restricted",
    "GRAB_RESTRICTED",
    "login",
    "ERROR: [Instagram] C3xYz: Requested content is not available, rate-limit reached or login required. Use --cookies\n",
  ],
  [
    "network",
    "GRAB_NETWORK",
    undefined,
    "ERROR: [generic] Unable to download webpage: <urlopen error [Errno 111] Connection refused> (caused by URLError(ConnectionRefusedError(111, 'Connection refused')))\n",
  ],
  [
    "network",
    "GRAB_NETWORK",
    undefined,
    "[download] Got error: 30000 bytes read, 29204 more expected. Retrying (1/3)...\nERROR: 30000 bytes read, 29204 more expected. Giving up after 3 retries\n",
  ],
  [
    "network",
    "GRAB_NETWORK",
    undefined,
    "ERROR: unable to download video data: HTTP Error 503: Service Unavailable\n",
  ],
  [
    "no_format",
    "GRAB_NO_FORMAT",
    undefined,
    "ERROR: [generic] master: Requested format is not available. Use --list-formats for a list of available formats\n",
  ],
  [
    "tool_missing",
    "TOOL_MISSING",
    undefined,
    "ERROR: You have requested merging of multiple formats but ffmpeg is not installed. Aborting due to --abort-on-error\n",
  ],
  [
    "tool_missing",
    "TOOL_MISSING",
    undefined,
    "ERROR: Postprocessing: ffprobe and ffmpeg not found. Please install or provide the path using --ffmpeg-location\n",
  ],
  [
    "failed",
    "GRAB_FAILED",
    undefined,
    "Traceback (most recent call last):\n  File \"/usr/bin/yt-dlp\", line 8\nKeyError: 'formats'\n",
  ],
];

Deno.test("classifyYtDlpError names each failure class, keeps the stderr tail and says yt-dlp's line", () => {
  for (const [kind, code, reason, tail] of CASES) {
    const e = classifyYtDlpError(tail, { url: URL, hint: "try --cookies" });
    assert.ok(e instanceof GrabError);
    assert.equal(e.kind, kind, tail);
    assert.equal(e.code, code, tail);
    assert.equal(e.data.reason, reason, tail);
    assert.equal(e.data.stderr_tail, tail);
    assert.equal(e.data.url, URL);
    assert.ok(e.message.includes(URL), e.message);
    assert.doesNotMatch(e.message, /caused by|please report/, "the noise of yt-dlp's bug-report line is cut");
    // the platform's hint helps with private or restricted videos only
    assert.equal(e.data.hint, kind === "unavailable" || kind === "restricted" ? "try --cookies" : undefined);
  }
});
