/**
 * A loopback web site for grab tests (no internet here): serves the ffmpeg-made media of
 * _media.ts with Range support, and faults by path prefix: /f/404/..., /f/403/..., /f/drop/...
 * (every response stops halfway through its body), /f/drop2/... (only the second response of each
 * path does: the first is yt-dlp's look at the page), /f/stall2/... (the second response of each
 * path sends half its body, then nothing until the client goes away),
 * /f/slow/... (the body trickles in small chunks). Requests are recorded.
 */
import { extname, join, normalize } from "node:path";
import { siteMedia } from "./_media.ts";

/** One request the site answered. */
export interface SiteRequest {
  path: string;
  range?: string;
  /** The Cookie header, when the client sent one. */
  cookie?: string;
  status: number;
}

/** A running site; `close()` it in `finally`. */
export interface Site {
  /** http://127.0.0.1:<port> */
  base: string;
  /** The media folder (to compare downloads with the originals). */
  dir: string;
  requests: SiteRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".html": "text/html; charset=utf-8",
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".mpd": "application/dash+xml",
  ".m4s": "video/iso.segment",
  ".jpg": "image/jpeg",
};

/** Starts the site on a port the OS picks, serving `dir` (default the test media of _media.ts). */
export async function startSite(opts: { dir?: string } = {}): Promise<Site> {
  const dir = opts.dir ?? await siteMedia();
  const requests: SiteRequest[] = [];
  const seen = new Map<string, number>();
  const closing = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    let path = decodeURIComponent(url.pathname);
    let fault: string | undefined;
    const m = /^\/f\/(404|403|drop2|drop|stall2|slow)(\/.*)$/.exec(path);
    if (m) [fault, path] = [m[1], m[2]];
    const range = req.headers.get("range") ?? undefined;
    const cookie = req.headers.get("cookie") ?? undefined;
    const answer = (status: number, body?: BodyInit | null, headers?: HeadersInit) => {
      requests.push({ path: url.pathname, range, status, ...(cookie ? { cookie } : {}) });
      return new Response(body, { status, headers });
    };
    if (fault === "404") return answer(404, "not here");
    if (fault === "403") return answer(403, "forbidden");
    const file = join(dir, normalize(path).replace(/^(\.\.[/\\])+/, ""));
    let data: Uint8Array<ArrayBuffer>;
    try {
      data = await Deno.readFile(file);
    } catch {
      return answer(404, "not here");
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    let start = 0;
    let end = data.length - 1;
    let status = 200;
    const r = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (r) {
      start = r[1] === "" ? Math.max(0, data.length - Number(r[2])) : Number(r[1]);
      end = r[1] !== "" && r[2] !== "" ? Math.min(Number(r[2]), end) : end;
      if (start > end) return answer(416, null, { "content-range": `bytes */${data.length}` });
      status = 206;
    }
    const body = data.subarray(start, end + 1);
    const headers: Record<string, string> = {
      "content-type": type,
      "content-length": String(body.length),
      "accept-ranges": "bytes",
    };
    if (status === 206) headers["content-range"] = `bytes ${start}-${end}/${data.length}`;
    const nth = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, nth);
    const drop = fault === "drop" || (fault === "drop2" && nth === 2);
    const stall = fault === "stall2" && nth === 2 ? { signal: closing.signal } : undefined;
    if (req.method === "HEAD") return answer(status, null, headers);
    if (!drop && !stall && fault !== "slow") return answer(status, body, headers);
    return answer(status, _stream(body, { drop, slow: fault === "slow", stall }), headers);
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    dir,
    requests,
    close: async () => {
      closing.abort();
      await server.shutdown();
    },
  };
}

/** A body that stops halfway (closing short, or stalling) or trickles in 4 KB chunks. */
function _stream(
  body: Uint8Array,
  o: { drop: boolean; slow: boolean; stall?: { signal: AbortSignal } },
): ReadableStream<Uint8Array> {
  const chunk = o.slow ? 4096 : 8 * 1024;
  const stopAt = o.drop || o.stall ? Math.floor(body.length / 2) : body.length;
  let off = 0;
  return new ReadableStream({
    async pull(c) {
      if (off >= stopAt && o.stall) {
        // nothing more until the client goes away (or the site closes)
        await new Promise<void>((resolve) => o.stall!.signal.addEventListener("abort", () => resolve()));
        c.close();
        return;
      }
      if (off >= stopAt) {
        if (o.drop) c.error(new Error("dropped mid-body on purpose"));
        else c.close();
        return;
      }
      // the slow fault paces by the loop's own turns, never a wall-clock deadline in the test
      if (o.slow) await new Promise((r) => setTimeout(r, 50));
      const n = Math.min(chunk, stopAt - off);
      c.enqueue(body.slice(off, off + n));
      off += n;
    },
  });
}
