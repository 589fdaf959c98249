/**
 * GET requests for the URL source: a stall watchdog on the headers and on every body chunk, and
 * HTTP error statuses and unreachable origins as typed source failures.
 */
import type { RunnerClock } from "./job_types.ts";
import { REAL_CLOCK } from "./job_types.ts";
import { SourceConnectionError, SourceHttpError } from "./source_errors.ts";

/** What a getter needs: extra headers, the stall limit and its timer. */
export interface HttpGetterOptions {
  headers?: Record<string, string>;
  stallMs?: number;
  clock?: Pick<RunnerClock, "after">;
}

/** The URL without user:password, for events, captions and errors. */
export function safeOrigin(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  return u.toString();
}

/** GETs of one URL, each with a stall watchdog on its headers; errors typed as source failures. */
export class HttpGetter {
  readonly origin: string;
  readonly stallMs: number;
  readonly clock: Pick<RunnerClock, "after">;
  constructor(readonly url: string, readonly opts: HttpGetterOptions) {
    this.origin = safeOrigin(url);
    this.stallMs = opts.stallMs ?? 30_000;
    this.clock = opts.clock ?? REAL_CLOCK;
  }

  /** GET from `offset` (with Range when `range`); throws SourceHttpError for 4xx/5xx but 416. */
  async request(
    offset: number,
    range: boolean,
    signal: AbortSignal,
    ctl = new AbortController(),
  ): Promise<Response> {
    const headers = new Headers(this.opts.headers ?? {});
    // a compressed body would make Content-Length and Range count other bytes than we read
    headers.set("accept-encoding", "identity");
    if (range) headers.set("range", `bytes=${offset}-`);
    let stalled = false;
    const cancel = this.clock.after(this.stallMs, () => {
      stalled = true;
      ctl.abort();
    });
    let res: Response;
    try {
      res = await fetch(this.url, { headers, signal: AbortSignal.any([signal, ctl.signal]) });
    } catch (err) {
      signal.throwIfAborted();
      const why = stalled
        ? `sent no answer for ${this.stallMs} ms`
        : `could not be reached (${(err as Error).message})`;
      throw new SourceConnectionError(`The origin ${why}: ${this.origin}`, {
        origin: this.origin,
        reason: stalled ? "stalled" : "unreachable",
        at: offset,
        cause: err,
      });
    } finally {
      cancel();
    }
    if (res.status >= 400 && res.status !== 416) {
      await res.body?.cancel().catch(() => {});
      throw new SourceHttpError(
        this.origin,
        res.status,
        res.statusText,
        _retryAfter(res.headers.get("retry-after")),
      );
    }
    return res;
  }
}

/** The body's chunks; aborts `ctl` (and ends with its error) when no chunk came for `stallMs`. */
export async function* readBody(
  res: Response,
  o: { ctl: AbortController; stallMs: number; clock: Pick<RunnerClock, "after"> },
): AsyncIterable<Uint8Array> {
  if (!res.body) return;
  const reader = res.body.getReader();
  try {
    while (true) {
      const cancel = o.clock.after(o.stallMs, () => o.ctl.abort());
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } finally {
        cancel();
      }
      if (r.done) return;
      if (r.value.length > 0) yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Retry-After as seconds: a number of seconds, or an HTTP date from now; undefined otherwise. */
function _retryAfter(v: string | null): number | undefined {
  if (v === null) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
