import assert from "node:assert/strict";
import { checkQuality, selectionArgs } from "../../lib/grab/select_format.ts";

Deno.test("selectionArgs maps each --quality to a yt-dlp format selector", () => {
  assert.deepEqual(selectionArgs({}), ["-f", "bv*+ba/b"]);
  assert.deepEqual(selectionArgs({ quality: "best" }), ["-f", "bv*+ba/b"]);
  assert.deepEqual(selectionArgs({ quality: "worst" }), ["-f", "wv*+wa/w"]);
  assert.deepEqual(selectionArgs({ quality: "720p" }), ["-f", "bv*[height<=?720]+ba/b[height<=?720]"]);
  assert.deepEqual(selectionArgs({ quality: "400" }), ["-f", "400+ba/400"]);
  // two ids from --info joined by the user are taken as they are
  assert.deepEqual(selectionArgs({ quality: "400+aud-English" }), ["-f", "400+aud-English"]);
  assert.deepEqual(selectionArgs({ quality: "hls-aud_English.1" }), [
    "-f",
    "hls-aud_English.1+ba/hls-aud_English.1",
  ]);
});

Deno.test("selectionArgs maps --audio to extraction with the format, best or worst sound", () => {
  for (const fmt of ["mp3", "m4a", "opus"] as const) {
    assert.deepEqual(selectionArgs({ audio: fmt }), [
      "-f",
      "ba/b",
      "-x",
      "--audio-format",
      fmt,
      "--audio-quality",
      "0",
    ]);
  }
  assert.equal(selectionArgs({ audio: "mp3", quality: "worst" })[1], "wa/w");
  assert.equal(selectionArgs({ audio: "mp3", quality: "720p" })[1], "ba/b");
  assert.equal(selectionArgs({ audio: "m4a", quality: "aud-English" })[1], "aud-English");
});

Deno.test("checkQuality refuses what yt-dlp would read as more than one format id", () => {
  for (const ok of ["best", "worst", "1080p", "18", "hls-720", "dash-audio_eng=128000", "400+aud-English"]) {
    checkQuality(ok);
  }
  for (const bad of ["", "720 p", "bv*+ba", "18/22", "best[height<=720]", "a,b", "1+2+3"]) {
    assert.throws(() => checkQuality(bad), RangeError, bad);
  }
});
