import assert from "node:assert/strict";
import { ytDlpAgeDays, ytDlpAgeWarning } from "../../lib/grab/ytdlp_age.ts";

Deno.test("ytDlpAgeDays reads the date of release, stable, post and nightly versions", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  assert.equal(ytDlpAgeDays("2026.12.01", now), 4);
  assert.equal(ytDlpAgeDays("2026.11.05.post1", now), 30);
  assert.equal(ytDlpAgeDays("2026.12.04.232640", now), 1);
  assert.equal(ytDlpAgeDays("2023.03.04", now), 1372);
  assert.equal(ytDlpAgeDays("unknown", now), undefined);
});

Deno.test("ytDlpAgeWarning warns about a yt-dlp older than 90 days and says how to update", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  assert.equal(ytDlpAgeWarning("2026.11.20", now), undefined);
  const w = ytDlpAgeWarning("2023.03.04", now)!;
  assert.match(w, /^yt-dlp 2023\.03\.04 is 1372 days old/);
  assert.match(w, /pipx upgrade yt-dlp/);
  assert.equal(ytDlpAgeWarning("1.2.3", now), undefined);
});
