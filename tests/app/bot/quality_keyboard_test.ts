import assert from "node:assert/strict";
import { parseQualityChoice, qualityKeyboard } from "../../../lib/app/bot/quality_keyboard.ts";
import type { GrabInfo, GrabQuality } from "../../../lib/grab/grab_info.ts";

const q = (p: Partial<GrabQuality>): GrabQuality => ({
  format_id: "x",
  audio_only: false,
  video_only: false,
  ...p,
});
const info = (qualities: GrabQuality[]): GrabInfo => ({
  url: "https://example.com/v",
  platform: "generic",
  id: "v",
  title: "V",
  qualities,
});

Deno.test("qualityKeyboard: one button per height, highest first, sizes with the merged audio", () => {
  const rows = qualityKeyboard(info([
    q({ format_id: "a", audio_only: true, size: 1_000_000, tbr: 128 }),
    q({ format_id: "v360", height: 360, video_only: true, size: 2_000_000, tbr: 500 }),
    q({ format_id: "v360b", height: 360, video_only: true, size: 9_000_000, tbr: 400 }),
    q({ format_id: "v720", height: 720, size: 5_000_000, tbr: 1500 }),
    q({ format_id: "v1080", height: 1080, video_only: true, tbr: 3000 }),
  ]));
  assert.deepEqual(rows.flat().map((b) => b.data), ["q:1080p", "q:720p", "q:360p", "a:mp3"]);
  assert.deepEqual(rows.flat().map((b) => b.text), [
    "1080p",
    "720p · 4.8 MiB",
    "360p · 2.9 MiB",
    "Audio only (mp3)",
  ]);
  assert.deepEqual(rows.map((r) => r.length), [2, 1, 1]);
  for (const b of rows.flat()) assert.ok(new TextEncoder().encode(b.data).length <= 64);
});

Deno.test("qualityKeyboard: heights too big for the limit are left out; no heights means best", () => {
  const big = qualityKeyboard(
    info([q({ height: 720, size: 50_000_000 }), q({ height: 240, size: 1_000 })]),
    { maxBytes: 10_000_000, audio: "m4a" },
  );
  assert.deepEqual(big.flat().map((b) => b.data), ["q:240p", "a:m4a"]);
  assert.deepEqual(qualityKeyboard(info([q({ format_id: "0" })])).flat().map((b) => b.data), [
    "q:best",
    "a:mp3",
  ]);
  const noneFit = qualityKeyboard(
    info([q({ height: 720, size: 50 }), q({ audio_only: true, size: 40 })]),
    { maxBytes: 10 },
  );
  assert.deepEqual(noneFit, []);
});

Deno.test("parseQualityChoice: what the keyboard makes, nothing else", () => {
  assert.deepEqual(parseQualityChoice("q:720p"), { quality: "720p" });
  assert.deepEqual(parseQualityChoice("q:best"), { quality: "best" });
  assert.deepEqual(parseQualityChoice("a:opus"), { audio: "opus" });
  for (const bad of ["q:720", "a:wav", "x:1", "q:best;rm", "", "q:" + "9".repeat(60)]) {
    assert.throws(() => parseQualityChoice(bad), RangeError, bad);
  }
});
