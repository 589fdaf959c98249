/**
 * Real clients against `tgpipe serve`: curl and ffprobe read the same URL (ffprobe seeks with
 * its own Range requests), and headless Chromium (Debian's) loads the --index page, plays the
 * MP4 served from the fake DC, seeks near its end, and the `seeked` event fires with currentTime
 * moved. Chromium is driven over the DevTools protocol and killed and awaited in every path.
 */
import assert from "node:assert/strict";
import { startServe } from "./_serve_helpers.ts";
import { launchChromium, step } from "../_helpers/chromium.ts";
import { CHAT, type ServeWorld, startServeWorld } from "./_serve_world.ts";

async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", stdin: "null" }).output();
  return { code: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

async function _withIndex(fn: (w: ServeWorld, url: string) => Promise<void>) {
  const w = await startServeWorld();
  try {
    const s = await startServe(["--listen", "127.0.0.1:0", "--public", "--index", CHAT], w.botEnv, w.dir);
    try {
      await fn(w, s.url);
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  } finally {
    await w.close();
  }
}

Deno.test("serve clients: curl and ffprobe read the same URL", async () => {
  await _withIndex(async (w, base) => {
    const url = `${base}/f/${CHAT}/${w.clip.id}/clip.mp4`;
    const c = await step("curl", run("curl", ["-sS", "-f", url]));
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(c.stdout, w.clip.bytes);
    const tail = await step("curl -r", run("curl", ["-sS", "-f", "-r", "-1000", url]));
    assert.deepEqual(tail.stdout, w.clip.bytes.subarray(w.clip.bytes.length - 1000));
    const head = await step("curl -I", run("curl", ["-sS", "-I", url]));
    assert.match(new TextDecoder().decode(head.stdout), /accept-ranges: bytes/i);
    const p = await step(
      "ffprobe",
      run("ffprobe", ["-v", "error", "-of", "json", "-show_format", "-show_streams", url]),
    );
    assert.equal(p.code, 0, p.stderr);
    const info = JSON.parse(new TextDecoder().decode(p.stdout));
    assert.ok(Math.abs(Number(info.format.duration) - 20) < 0.5, `duration ${info.format.duration}`);
    assert.deepEqual(info.streams.map((s: { codec_name: string }) => s.codec_name).sort(), ["aac", "h264"]);
    // the playlist lists the video and audio files with absolute URLs
    const m3u = await (await fetch(`${base}/i/${CHAT}.m3u`)).text();
    assert.ok(m3u.startsWith("#EXTM3U\n"));
    assert.ok(m3u.includes(`${base}/f/${CHAT}/${w.clip.id}/`), m3u);
  });
});

Deno.test("serve clients: headless Chromium plays a video from the index page and seeks near its end", async () => {
  await _withIndex(async (w, base) => {
    const browser = await launchChromium(w.dir, ["--autoplay-policy=no-user-gesture-required"]);
    try {
      const tab = await browser.newTab();
      await tab.goto(`${base}/i/${CHAT}`);
      const v = await step("play and seek", tab.evaluate(_PLAY_AND_SEEK(w.clip.id)));
      assert.ok(v && !v.error, `player: ${JSON.stringify(v)}`);
      assert.equal(v.seeked, true, "the seeked event fired");
      assert.ok(Math.abs(v.duration - 20) < 0.5, `duration ${v.duration}`);
      assert.ok(
        v.after > v.before + 10 && v.after > v.duration - 2,
        `currentTime moved: ${JSON.stringify(v)}`,
      );
    } finally {
      await browser.close();
    }
  });
});

// The page's player for the clip: metadata, play (muted), seek to one second before the end.
const _PLAY_AND_SEEK = (id: number) =>
  `(async () => {
  const v = document.querySelector('video[data-message="${id}"]');
  if (!v) return { error: "no video element for message ${id}" };
  v.muted = true;
  const failed = new Promise((_, j) => v.addEventListener("error", () => j(new Error("media error " + (v.error && v.error.code))), { once: true }));
  if (v.readyState < 1) {
    await Promise.race([new Promise((r) => v.addEventListener("loadedmetadata", r, { once: true })), failed]);
  }
  await v.play().catch(() => {});
  const before = v.currentTime;
  const seeked = new Promise((r) => v.addEventListener("seeked", () => r(true), { once: true }));
  v.currentTime = v.duration - 1;
  await Promise.race([seeked, failed]);
  return { seeked: true, before, after: v.currentTime, duration: v.duration };
})().catch((e) => ({ error: String(e) }))`;
