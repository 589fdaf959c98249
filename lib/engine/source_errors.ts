/**
 * Typed failures of an upload source (URL, stdin, file). Each carries the report category it
 * counts under (source, connection, corruption: see docs/upload.md) and whether another attempt
 * may help, so the upload step and its report never parse messages.
 */
import { TgpipeError } from "../core/errors.ts";

/** The report categories a source failure counts under. */
export type SourceCategory = "source" | "connection" | "corruption";

/** Base of every source failure: its category, whether a retry may help, and a short reason code. */
export class SourceFailure extends TgpipeError {
  readonly category: SourceCategory;
  readonly retryable: boolean;
  /** A stable reason (http_status, dropped, stalled, range_ignored, length_mismatch, not_resumable...). */
  readonly reason: string;
  /** Where the bytes come from: a URL, a path or "stdin". */
  readonly origin: string;

  constructor(
    message: string,
    o: {
      code: string;
      category: SourceCategory;
      retryable: boolean;
      reason: string;
      origin: string;
      data?: Record<string, unknown>;
      cause?: unknown;
    },
  ) {
    super(message, {
      code: o.code,
      cause: o.cause,
      data: { category: o.category, retryable: o.retryable, reason: o.reason, origin: o.origin, ...o.data },
    });
    this.category = o.category;
    this.retryable = o.retryable;
    this.reason = o.reason;
    this.origin = o.origin;
  }
}

/** The origin answered with an HTTP error status (category source; retryable for 5xx, 408 and 429). */
export class SourceHttpError extends SourceFailure {
  readonly status: number;
  /** Seconds the origin asked to wait (Retry-After), when it said. */
  readonly retryAfterS: number | undefined;
  constructor(origin: string, status: number, statusText = "", retryAfterS?: number) {
    const text = statusText ? ` ${statusText}` : "";
    super(`The origin answered HTTP ${status}${text} for ${origin}`, {
      code: "SOURCE_HTTP",
      category: "source",
      retryable: status >= 500 || status === 429 || status === 408,
      reason: "http_status",
      origin,
      data: { status, retry_after_s: retryAfterS },
    });
    this.status = status;
    this.retryAfterS = retryAfterS;
  }
}

/**
 * The connection to the origin broke or stalled and could not be resumed here (category
 * connection); `retryable` says whether starting the item again may help.
 */
export class SourceConnectionError extends SourceFailure {
  /** Bytes delivered before the break. */
  readonly at: number;
  constructor(
    message: string,
    o: { origin: string; reason: string; at: number; retryable?: boolean; cause?: unknown },
  ) {
    super(message, {
      code: "SOURCE_CONNECTION",
      category: "connection",
      retryable: o.retryable ?? true,
      reason: o.reason,
      origin: o.origin,
      data: { at: o.at },
      cause: o.cause,
    });
    this.at = o.at;
  }
}

/**
 * The source delivered other bytes than it declared (a Content-Length that lies, a range that
 * does not match, a file that changed): never sent on as a file (category corruption).
 */
export class SourceCorruptError extends SourceFailure {
  constructor(message: string, o: { origin: string; reason: string; declared?: number; actual?: number }) {
    super(message, {
      code: "SOURCE_CORRUPT",
      category: "corruption",
      retryable: false,
      reason: o.reason,
      origin: o.origin,
      data: { declared: o.declared, actual: o.actual },
    });
  }
}

/** The source cannot start again or past 0 (stdin): a resumed or retried run must start over by hand. */
export class SourceNotResumableError extends SourceFailure {
  constructor(message: string, origin: string) {
    super(message, {
      code: "SOURCE_NOT_RESUMABLE",
      category: "source",
      retryable: false,
      reason: "not_resumable",
      origin,
    });
  }
}
