/**
 * The argument lists the registry builds, and proof that the real yt-dlp takes each platform's
 * list for that platform's URL: a loopback proxy stands in for the internet and records where
 * yt-dlp's extractor went (YouTube's API host for a youtu.be link, TikTok's for a vm. link, ...).
 */
import assert from "node:assert/strict";
import { detectPlatform } from "../../lib/grab/platforms.ts";
import { checkTemplate, downloadArgs, infoArgs } from "../../lib/grab/ytdlp_args.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { runTool } from "../../lib/tools/run_tool.ts";
import { ToolFailedError } from "../../lib/core/errors.ts";
import { classifyYtDlpError } from "../../lib/grab/classify_error.ts";

Deno.test("downloadArgs: the platform's options, the selection, tgpipe's templates and paths, the URL last", () => {
  const url = "https://youtu.be/dQw4w9WgXcQ?si=abc";
  const args = downloadArgs(url, {
    platform: detectPlatform(url),
    out: "/o",
    tempDir: "/o/.tgpipe/grab-tmp/x",
    quality: "720p",
    cookies: "/tmp/c.txt",
    ffmpegPath: "/usr/bin/ffmpeg",
  });
  const after = (flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(args[0], "--ignore-config", "a user's yt-dlp.conf never changes what tgpipe reads back");
  assert.deepEqual(args.slice(-2), ["--", url], "the URL can never be read as an option");
  for (const a of ["--no-playlist", "--no-simulate", "--newline", "--continue", "--write-thumbnail"]) {
    assert.ok(args.includes(a), a);
  }
  assert.equal(after("-S"), "res,ext:mp4:m4a");
  assert.equal(after("--merge-output-format"), "mp4");
  assert.equal(after("-f"), "bv*[height<=?720]+ba/b[height<=?720]");
  assert.equal(after("--cookies"), "/tmp/c.txt");
  assert.equal(after("--ffmpeg-location"), "/usr/bin/ffmpeg");
  assert.deepEqual(args.filter((_, i) => args[i - 1] === "-P"), ["/o", "temp:/o/.tgpipe/grab-tmp/x"]);
  assert.equal(after("-o"), "%(title).100B [%(id)s].%(ext)s");
  assert.ok(args.some((a) => a.startsWith("after_move:tgpipe:file %(.{filepath")));
  assert.ok(args.some((a) => a.startsWith("download:tgpipe:dl %(progress.{")));
  // social platforms name files after the uploader; generic pages get no platform options
  const tt = "https://vm.tiktok.com/ZMeAbCdEf/";
  assert.match(
    downloadArgs(tt, { platform: detectPlatform(tt), out: "/o", tempDir: "/t" }).join(" "),
    /-o %\(uploader\|unknown\)/,
  );
  const page = "https://example.com/v";
  const generic = downloadArgs(page, {
    platform: detectPlatform(page),
    out: "/o",
    tempDir: "/t",
    audio: "opus",
  });
  assert.ok(!generic.includes("--no-playlist") && !generic.includes("-S"));
  assert.equal(generic[generic.indexOf("--audio-format") + 1], "opus");
  assert.ok(generic.includes("-x"));
});

Deno.test("checkTemplate keeps files inside --out with their extension", () => {
  checkTemplate("%(uploader)s/%(title)s.%(ext)s");
  for (
    const bad of ["/abs/%(id)s.%(ext)s", "../up/%(id)s.%(ext)s", "a/../../b.%(ext)s", "%(title)s.mp4", " "]
  ) {
    assert.throws(() => checkTemplate(bad), RangeError, bad);
  }
});

/** A proxy that records the first line of each request and answers 502: the internet, refused. */
function recordingProxy(): { port: number; seen: string[]; close: () => Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const conns = new Set<Deno.Conn>();
  const serving = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        const buf = new Uint8Array(4096);
        const n = await conn.read(buf).catch(() => null);
        if (n) seen.push(new TextDecoder().decode(buf.subarray(0, n)).split("\r\n")[0]);
        await conn.write(
          new TextEncoder().encode(
            "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
          ),
        ).catch(() => {});
        conn.close();
        conns.delete(conn);
      })();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    seen,
    close: async () => {
      listener.close();
      for (const c of conns) c.close();
      await serving.catch(() => {});
    },
  };
}

Deno.test("the real yt-dlp takes each platform's argument list and goes to that platform for its URL", async () => {
  const ytDlp = await findTool("yt-dlp", {
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: "/nonexistent",
  });
  const proxy = recordingProxy();
  try {
    const cases: Array<[string, RegExp]> = [
      ["https://youtu.be/dQw4w9WgXcQ", /^CONNECT (www\.)?youtube\.com:443/],
      ["https://www.youtube.com/shorts/aqz-KE-bpKQ", /^CONNECT (www\.)?youtube\.com:443/],
      ["https://www.instagram.com/reel/C3xYz12AbCd/", /^CONNECT (www|i)\.instagram\.com:443/],
      ["https://www.tiktok.com/@scout2015/video/6718335390845095173", /^CONNECT [\w.-]*tiktok[\w.-]*:443/],
      ["https://likee.video/@Ninja1/video/7093209476521364558", /^CONNECT likee\.video:443/],
      [
        "https://www.snapchat.com/spotlight/W7_EDlXWTBiXAEEniNoMPwAAYYWtidGhudGZpAX1TKn0JAX1TKnXJAAAAAA",
        /^CONNECT www\.snapchat\.com:443/,
      ],
    ];
    for (const [url, host] of cases) {
      const platform = detectPlatform(url);
      const before = proxy.seen.length;
      // --simulate: the same options a download gets, nothing written; the proxy is the test's own
      const args = infoArgs(url, { platform, retries: 0 }).filter((a) => a !== "-J");
      const run = runTool(ytDlp, [
        "--simulate",
        "--proxy",
        `http://127.0.0.1:${proxy.port}`,
        "--extractor-retries",
        "0",
        ...args,
      ]);
      const err = await run.then(() => undefined, (e) => e);
      assert.ok(err instanceof ToolFailedError, `${url}: the refused internet must fail the run`);
      // yt-dlp chose the platform's extractor (its name is in the error) and asked that platform's host;
      // Debian's 2023 yt-dlp has no Snapchat extractor: its generic one reads the page
      const extractor = platform.id === "snapchat" ? "generic" : platform.id;
      assert.match(err.stderrTail, new RegExp(`ERROR: \\[${extractor}`, "i"), url);
      assert.match(proxy.seen.slice(before).join("\n"), host, `${url}: ${proxy.seen.slice(before)}`);
      assert.equal(classifyYtDlpError(err.stderrTail, { url }).kind, "network", err.stderrTail);
    }
  } finally {
    await proxy.close();
  }
});
