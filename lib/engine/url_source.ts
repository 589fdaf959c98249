/**
 * An HTTP(S) URL as an UploadSource: the body streamed chunk by chunk (bounded memory, no temp
 * file), its size from Content-Length, its name from Content-Disposition or the URL, its type
 * from Content-Type. A dropped or stalled connection resumes with a Range request when the origin
 * honours ranges (206 with the matching Content-Range), else fails with a typed error; a length
 * that lies is a SourceCorruptError, so the engine never gets more or fewer bytes than declared.
 */
import type { RunnerClock } from "./job_types.ts";
import { HttpGetter, readBody, safeOrigin } from "./http_get.ts";
import { declaredLength, fileNameOf, mimeOf, parseContentRange } from "./http_meta.ts";
import {
  SourceConnectionError,
  SourceCorruptError,
  SourceFailure,
  SourceHttpError,
  SourceNotResumableError,
} from "./source_errors.ts";
import type { UploadSource } from "./upload_source.ts";

/** How a URL source fetches. */
export interface UrlSourceOptions {
  /** A response (headers or body bytes) silent this long is a stall: resumed like a drop. Default 30 000. */
  stallMs?: number;
  /** Range resumes per open() before giving up with a SourceConnectionError. Default 5. */
  maxResumes?: number;
  /** The name to use instead of the origin's (Content-Disposition, URL path). */
  name?: string;
  /** Extra request headers (User-Agent, Authorization, ...). */
  headers?: Record<string, string>;
  /** Called before each Range resume: where, and why (dropped, stalled). */
  onResume?: (info: { at: number; reason: string }) => void;
  /** Timer of the stall watchdog; tests pass their own. */
  clock?: Pick<RunnerClock, "after">;
  signal?: AbortSignal;
}

/** What the probe request learnt. */
interface _Meta {
  name: string;
  size: number | undefined;
  mime: string | undefined;
  seekable: boolean;
}

/**
 * Asks the origin for `url` (one GET with `Range: bytes=0-`, body not read) and returns the
 * source. Throws SourceHttpError for 4xx/5xx, SourceConnectionError when unreachable or silent,
 * SourceCorruptError when its headers contradict each other, TypeError for a non-HTTP URL.
 *
 * @example
 * ```ts
 * const src = await openUrlSource("https://example.com/video.mp4", { signal });
 * for await (const chunk of src.open(0, signal)) parts.push(chunk);
 * ```
 */
export async function openUrlSource(url: string, opts: UrlSourceOptions = {}): Promise<UploadSource> {
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`Not an HTTP URL: ${url}`);
  const fetcher = new HttpGetter(url, opts);
  const res = await fetcher.request(0, true, opts.signal ?? new AbortController().signal);
  try {
    const meta = _meta(url, res, opts);
    return new _UrlSource(fetcher, meta, opts);
  } finally {
    await res.body?.cancel().catch(() => {});
  }
}

function _meta(url: string, res: Response, opts: UrlSourceOptions): _Meta {
  const name = opts.name ?? fileNameOf(res.headers.get("content-disposition"), res.url || url);
  const mime = mimeOf(res.headers);
  const origin = safeOrigin(url);
  if (res.status === 416) {
    // `Range: bytes=0-` not satisfiable: an empty file
    if (/^bytes \*\/0$/i.test(res.headers.get("content-range")?.trim() ?? "")) {
      return { name, mime, size: 0, seekable: false };
    }
    throw new SourceHttpError(origin, 416, res.statusText);
  }
  const length = declaredLength(res.headers);
  if (res.status === 206) {
    const cr = parseContentRange(res.headers.get("content-range"));
    if (!cr || cr.start !== 0) {
      throw new SourceCorruptError(`The origin answered a range it was not asked for: ${origin}`, {
        origin,
        reason: "range_mismatch",
      });
    }
    if (length !== undefined && length !== cr.end - cr.start + 1) {
      throw _lengthLie(origin, length, cr.end - cr.start + 1);
    }
    return { name, mime, size: cr.total, seekable: true };
  }
  return { name, mime, size: length, seekable: false };
}

function _lengthLie(origin: string, declared: number, actual: number): SourceCorruptError {
  return new SourceCorruptError(
    `The origin's Content-Length (${declared}) contradicts its Content-Range (${actual} bytes): ${origin}`,
    { origin, reason: "length_mismatch", declared, actual },
  );
}

class _UrlSource implements UploadSource {
  readonly name: string;
  readonly size: number | undefined;
  readonly mime: string | undefined;
  readonly origin: string;
  #seekable: boolean;
  // where the last open ended early on an origin without ranges: the same place twice is a lie
  #brokeAt: number | undefined;

  constructor(private readonly f: HttpGetter, meta: _Meta, private readonly opts: UrlSourceOptions) {
    this.name = meta.name;
    this.size = meta.size;
    this.mime = meta.mime;
    this.#seekable = meta.seekable;
    this.origin = f.origin;
  }

  /** Turns false for good when the origin answers a Range request with 200: the next try starts at 0. */
  get seekable(): boolean {
    return this.#seekable;
  }

  async *open(offset: number, signal: AbortSignal): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || (this.size !== undefined && offset > this.size)) {
      throw new RangeError(`Offset ${offset} is outside ${this.origin}`);
    }
    if (offset > 0 && !this.seekable) {
      throw new SourceNotResumableError(
        `The origin does not support Range, so it cannot start past 0: ${this.origin}`,
        this.origin,
      );
    }
    if (offset === this.size) return;
    let pos = offset;
    for (let resumes = 0;; resumes++) {
      const ctl = new AbortController();
      let res: Response | undefined;
      let broke: { reason: string; cause: unknown };
      try {
        res = await this.f.request(pos, this.seekable, signal, ctl);
        // where this response's bytes end: the file's end, or the end of a shorter range served
        const end = this.#check(res, pos) ?? this.size;
        const body = readBody(res, { ctl, stallMs: this.f.stallMs, clock: this.f.clock });
        for await (const chunk of body) {
          if (end !== undefined && pos + chunk.length > end) {
            throw new SourceCorruptError(
              `The origin sent more than the ${end - pos} bytes it declared from byte ${pos}: ${this.origin}`,
              { origin: this.origin, reason: "length_mismatch", declared: this.size },
            );
          }
          pos += chunk.length;
          yield chunk;
        }
        if (this.size === undefined || pos === this.size) return;
        if (end !== undefined && pos === end) {
          // the origin served a shorter range than asked for (some cap them): ask for the rest
          resumes--;
          continue;
        }
        broke = { reason: "dropped", cause: undefined };
      } catch (err) {
        signal.throwIfAborted();
        // a request that got no answer in time is retried like a body that broke off
        const unanswered = err instanceof SourceConnectionError && err.reason !== "range_ignored";
        if (err instanceof SourceFailure && !unanswered) throw err;
        broke = { reason: unanswered ? err.reason : ctl.signal.aborted ? "stalled" : "dropped", cause: err };
      } finally {
        ctl.abort();
        await res?.body?.cancel().catch(() => {});
      }
      this.#giveUp(pos, resumes, broke);
      this.opts.onResume?.({ at: pos, reason: broke.reason });
    }
  }

  /**
   * Throws unless the response carries the bytes from `pos` of the same file; returns where a
   * partial (206) answer ends (exclusive), which may be before the end of the file.
   */
  #check(res: Response, pos: number): number | undefined {
    const length = declaredLength(res.headers);
    if (res.status === 416) {
      throw new SourceCorruptError(
        `The origin has no bytes past ${pos} though it declared ${this.size}: ${this.origin}`,
        { origin: this.origin, reason: "length_mismatch", declared: this.size, actual: pos },
      );
    }
    if (res.status === 200 && pos > 0) {
      this.#seekable = false;
      throw new SourceConnectionError(
        `The origin ignored a Range request (HTTP 200 for bytes ${pos}-), so the upload starts over: ${this.origin}`,
        { origin: this.origin, reason: "range_ignored", at: pos },
      );
    }
    const want = this.size === undefined ? undefined : this.size - pos;
    if (res.status === 206) {
      const cr = parseContentRange(res.headers.get("content-range"));
      if (
        !cr || cr.start !== pos || cr.total !== this.size || (cr.total !== undefined && cr.end >= cr.total)
      ) {
        throw new SourceCorruptError(
          `The origin answered bytes ${pos}- with another range (${
            res.headers.get("content-range")
          }): ${this.origin}`,
          {
            origin: this.origin,
            reason: "range_mismatch",
          },
        );
      }
      if (length !== undefined && length !== cr.end - cr.start + 1) {
        throw _lengthLie(this.origin, length, cr.end - cr.start + 1);
      }
      return cr.end + 1;
    } else if (want !== undefined && length !== want) {
      throw new SourceCorruptError(
        `The origin's length changed from ${this.size} to ${length}: ${this.origin}`,
        {
          origin: this.origin,
          reason: "length_changed",
          declared: this.size,
          actual: length,
        },
      );
    }
    return undefined;
  }

  /** After a break at `pos`: throws when no resume is possible or allowed, else returns. */
  #giveUp(pos: number, resumes: number, broke: { reason: string; cause: unknown }): void {
    const what = broke.reason === "stalled"
      ? `stalled for ${this.f.stallMs} ms`
      : broke.reason === "unreachable"
      ? "could not be reached"
      : "dropped the connection";
    // without ranges only a request that delivered nothing can be made again
    if (!this.seekable && pos > 0) {
      const twice = this.size !== undefined && this.#brokeAt === pos;
      this.#brokeAt = pos;
      if (twice) {
        throw new SourceCorruptError(
          `The origin sent ${pos} of the ${this.size} bytes its Content-Length declares, twice: ${this.origin}`,
          { origin: this.origin, reason: "length_mismatch", declared: this.size, actual: pos },
        );
      }
      throw new SourceConnectionError(
        `The origin ${what} at byte ${pos} and does not support Range, so the upload starts over: ${this.origin}`,
        { origin: this.origin, reason: broke.reason, at: pos, cause: broke.cause },
      );
    }
    const max = this.opts.maxResumes ?? 5;
    if (resumes >= max) {
      throw new SourceConnectionError(`The origin ${what} at byte ${pos}, ${max + 1} times: ${this.origin}`, {
        origin: this.origin,
        reason: broke.reason,
        at: pos,
        cause: broke.cause,
      });
    }
  }
}
