/**
 * A loopback HTTP origin for URL-source tests: serves given bytes with Range support (Deno.serve
 * on port 0) and injects the faults real origins show: a connection dropped or stalled mid-body,
 * an error status, a Content-Length that lies, no Content-Length (chunked), a slow start, a Range
 * request answered with 200. Faults are chosen per request, so "drop the first request only" is
 * one line; every request is recorded so tests assert what the client asked.
 */

/** What one response does wrong. */
export interface OriginFaults {
  /** Answer with this status and a short text body (404, 429, 500, ...). */
  status?: number;
  /** Retry-After header of that answer. */
  retryAfter?: string;
  /** Break the connection after this many body bytes of this response. */
  dropAfter?: number;
  /** Send this many body bytes, then nothing until the client goes away or the origin stops. */
  stallAfter?: number;
  /** Content-Length header to declare instead of the true length (a lie: longer or shorter). */
  declaredLength?: number;
  /** No Content-Length: the body goes chunked. */
  chunked?: boolean;
  /** Hold the response headers back until this promise settles or the origin stops (a slow start). */
  slowStart?: Promise<unknown>;
  /** Answer a Range request with 200 and the whole body, while still advertising ranges. */
  ignoreRange?: boolean;
  /** An origin without range support: no Accept-Ranges, every request gets 200 and the whole body. */
  noRange?: boolean;
  /** Serve at most this many bytes per Range answer (some CDNs cap ranges), from where it starts. */
  maxRange?: number;
  /** Content-Range total to declare instead of the true size (a lie about the whole). */
  rangeTotal?: number;
}

/** One request the origin received, in order. */
export interface OriginRequest {
  path: string;
  /** The Range header, if any. */
  range: string | null;
  /** The request's position among the requests to this path (0 = first). */
  n: number;
  status: number;
}

/** A file the origin serves at a path. */
export interface OriginFile {
  body: Uint8Array;
  /** Extra response headers (Content-Type, Content-Disposition, ...). */
  headers?: Record<string, string>;
  /** Faults of a request, from what was asked and how many requests came before it. */
  faults?: (req: { n: number; range: string | null }) => OriginFaults;
}

/** A running origin; `close()` releases stalled bodies and waits for every connection to end. */
export interface HttpOrigin {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly requests: OriginRequest[];
  /** Body bytes handed to the server for `path` so far, over all responses. */
  sent(path: string): number;
  /** Resolves when a response to `path` has stalled (all its bytes before the stall were sent). */
  stalled(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts an origin serving `files` by path ("/a.bin"). */
export function startOrigin(files: Record<string, OriginFile>): HttpOrigin {
  const requests: OriginRequest[] = [];
  const counts = new Map<string, number>();
  const sent = new Map<string, number>();
  const stalls = new Set<() => void>();
  let closing!: () => void;
  const closed = new Promise<void>((r) => closing = r);
  const stallWaiters = new Map<string, Array<() => void>>();
  const onStall = (path: string) => {
    for (const w of stallWaiters.get(path) ?? []) w();
    stallWaiters.delete(path);
  };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    // a dropped body is an errored stream on purpose: nothing to log
    onError: () => new Response("origin error", { status: 500 }),
  }, async (req) => {
    const path = new URL(req.url).pathname;
    const file = files[path];
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const range = req.headers.get("range");
    const faults = file?.faults?.({ n, range }) ?? {};
    // a held start ends when the origin stops, so shutdown never waits for a test's gate
    if (faults.slowStart) await Promise.race([faults.slowStart, closed]);
    const c = {
      stalls,
      onStall: () => onStall(path),
      onSent: (n: number) => sent.set(path, (sent.get(path) ?? 0) + n),
    };
    const res = file ? _respond(file, req, faults, c) : _text(404);
    requests.push({ path, range, n, status: res.status });
    return res;
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    sent: (path) => sent.get(path) ?? 0,
    stalled(path) {
      return new Promise((resolve) => {
        const list = stallWaiters.get(path) ?? [];
        list.push(resolve);
        stallWaiters.set(path, list);
      });
    },
    async close() {
      closing();
      for (const release of stalls) release();
      await server.shutdown();
    },
  };
}

function _text(status: number, retryAfter?: string): Response {
  const headers = new Headers({ "content-type": "text/plain" });
  if (retryAfter) headers.set("retry-after", retryAfter);
  return new Response(`status ${status}`, { status, headers });
}

function _respond(
  file: OriginFile,
  req: Request,
  f: OriginFaults,
  c: _Hooks,
): Response {
  if (f.status) return _text(f.status, f.retryAfter);
  const size = file.body.length;
  const headers = new Headers(file.headers ?? {});
  if (!f.noRange) headers.set("accept-ranges", "bytes");
  let status = 200;
  let slice = file.body;
  const m = req.headers.get("range")?.match(/^bytes=(\d+)-(\d*)$/);
  if (m && !f.noRange && !f.ignoreRange) {
    const start = Number(m[1]);
    const asked = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    const end = f.maxRange === undefined ? asked : Math.min(asked, start + f.maxRange - 1);
    if (start >= size || end < start) {
      return new Response(null, {
        status: 416,
        headers: { "content-range": `bytes */${f.rangeTotal ?? size}` },
      });
    }
    status = 206;
    slice = file.body.subarray(start, end + 1);
    headers.set("content-range", `bytes ${start}-${end}/${f.rangeTotal ?? size}`);
  }
  if (req.method === "HEAD") {
    headers.set("content-length", String(f.declaredLength ?? slice.length));
    return new Response(null, { status, headers });
  }
  if (!f.chunked) headers.set("content-length", String(f.declaredLength ?? slice.length));
  return new Response(_body(slice, f, c), { status, headers });
}

const CHUNK = 16 * 1024;

interface _Hooks {
  stalls: Set<() => void>;
  onStall: () => void;
  onSent: (n: number) => void;
}

/** The body as a stream of small chunks, breaking or stalling where the faults say. */
function _body(
  bytes: Uint8Array,
  f: OriginFaults,
  c: _Hooks,
): ReadableStream<Uint8Array> {
  const stopAt = Math.min(f.dropAfter ?? Infinity, f.stallAfter ?? Infinity, bytes.length);
  let sent = 0;
  let release: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      if (sent < stopAt) {
        const n = Math.min(CHUNK, stopAt - sent);
        ctl.enqueue(bytes.slice(sent, sent + n));
        sent += n;
        c.onSent(n);
        return;
      }
      if (f.dropAfter !== undefined && sent >= f.dropAfter) {
        ctl.error(new Deno.errors.ConnectionReset("origin dropped the connection"));
        return;
      }
      if (f.stallAfter !== undefined && sent >= f.stallAfter) {
        const gone = new Promise<void>((r) => release = r);
        c.stalls.add(release!);
        c.onStall();
        await gone;
        c.stalls.delete(release!);
        ctl.error(new Deno.errors.ConnectionReset("origin stopped while stalled"));
        return;
      }
      // A declared length longer than the body: ending early makes the server cut the connection.
      ctl.close();
    },
    cancel() {
      release?.();
    },
  }, { highWaterMark: 0 });
}
