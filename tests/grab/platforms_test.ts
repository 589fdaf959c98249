import assert from "node:assert/strict";
import { detectPlatform, type PlatformId, PLATFORMS } from "../../lib/grab/platforms.ts";

// Real link shapes people paste: share buttons, short links, mobile hosts, shorts, reels, stories.
const CASES: Record<Exclude<PlatformId, "generic">, string[]> = {
  youtube: [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/watch?v=dQw4w9WgXcQ&list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI&index=2",
    "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?si=Jh3kL9aBcD&t=42",
    "https://www.youtube.com/shorts/aqz-KE-bpKQ",
    "https://youtube.com/shorts/aqz-KE-bpKQ?feature=share",
    "https://www.youtube.com/live/jfKfPfyJRdk",
    "https://www.youtube.com/embed/dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
  ],
  instagram: [
    "https://www.instagram.com/p/C3xYz12AbCd/",
    "https://www.instagram.com/reel/C3xYz12AbCd/?igsh=MWQ1ZGUxMzBkMA==",
    "https://instagram.com/reels/C3xYz12AbCd/",
    "https://www.instagram.com/tv/B8xYz12AbCd/",
    "https://www.instagram.com/stories/natgeo/3312345678901234567/",
    "https://m.instagram.com/p/C3xYz12AbCd/",
    "https://www.instagram.com/natgeo/p/C3xYz12AbCd/",
    "https://instagr.am/p/C3xYz12AbCd/",
  ],
  tiktok: [
    "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    "https://www.tiktok.com/@user.name_1/video/7301234567890123456?is_from_webapp=1&sender_device=pc",
    "https://vm.tiktok.com/ZMeAbCdEf/",
    "https://vt.tiktok.com/ZSjAbCdEf/",
    "https://m.tiktok.com/v/6718335390845095173.html",
    "https://www.tiktok.com/t/ZTRAbCdEf/",
  ],
  snapchat: [
    "https://www.snapchat.com/spotlight/W7_EDlXWTBiXAEEniNoMPwAAYYWtidGhudGZpAX1TKn0JAX1TKnXJAAAAAA",
    "https://story.snapchat.com/s/m:W7_EDlXWTBiXAEEniNoMPwAAYZmRmbGFoYnNpAY6J6BhhAY6J6BaTAAAAAQ",
    "https://www.snapchat.com/add/djkhaled",
    "https://t.snapchat.com/AbCd1234",
  ],
  likee: [
    "https://likee.video/@Ninja1/video/7093209476521364558",
    "https://likee.video/v/k6QcOp",
    "https://l.likee.video/v/Zb4a2C",
    "https://www.likee.video/@cathbonita/video/7083581223938374990",
  ],
};

for (const [id, urls] of Object.entries(CASES)) {
  Deno.test(`detectPlatform knows ${id} links (short, mobile and share shapes)`, () => {
    for (const url of urls) assert.equal(detectPlatform(url).id, id, url);
  });
}

Deno.test("detectPlatform sends any other http(s) page to the generic entry", () => {
  for (
    const url of [
      "https://example.com/watch/123",
      "http://127.0.0.1:8080/hls/master.m3u8",
      "https://vimeo.com/76979871",
      // look-alikes of the platforms are not theirs
      "https://notyoutube.com/watch?v=x",
      "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
      "https://tiktok.com.example.org/@a/video/1",
      "https://example.com/?u=https://youtu.be/dQw4w9WgXcQ",
    ]
  ) assert.equal(detectPlatform(url).id, "generic", url);
});

Deno.test("detectPlatform refuses what is not an http(s) link with a RangeError (usage, exit 2)", () => {
  for (
    const bad of ["youtube.com/watch?v=x", "ftp://example.com/a.mp4", "file:///etc/passwd", "", "not a url"]
  ) {
    assert.throws(() => detectPlatform(bad), RangeError, bad);
  }
});

Deno.test("every platform has a name, patterns, yt-dlp options and an output template with its extension", () => {
  assert.equal(PLATFORMS.at(-1)!.id, "generic");
  for (const p of PLATFORMS) {
    assert.ok(p.name.length > 0 && p.patterns.length > 0);
    assert.match(p.template, /%\(ext\)s$/);
  }
  // Telegram plays MP4 inline: every named platform asks yt-dlp to prefer and merge into it
  for (const p of PLATFORMS.filter((p) => p.id !== "generic")) {
    assert.ok(p.ytDlpArgs.includes("--merge-output-format"), p.id);
  }
  const yt = PLATFORMS.find((p) => p.id === "youtube")!;
  assert.ok(yt.ytDlpArgs.includes("--no-playlist"), "a watch link inside a playlist means one video");
});

Deno.test("the CLI's platform names (lib/core/grab_names.ts) are the registry's, in order", async () => {
  const { PLATFORM_NAMES } = await import("../../lib/core/grab_names.ts");
  assert.deepEqual(PLATFORMS.map((p) => p.name), [...PLATFORM_NAMES]);
});
