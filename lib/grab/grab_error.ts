import { TgpipeError } from "../core/errors.ts";

/** Why a link could not be grabbed: the classes of yt-dlp's failures people act on differently. */
export type GrabErrorKind =
  | "unsupported"
  | "unavailable"
  | "restricted"
  | "network"
  | "too_big"
  | "no_format"
  | "tool_missing"
  | "upload"
  | "failed";

/** The stable event code of each kind. */
export const GRAB_ERROR_CODES: Record<GrabErrorKind, string> = {
  unsupported: "GRAB_UNSUPPORTED",
  unavailable: "GRAB_UNAVAILABLE",
  restricted: "GRAB_RESTRICTED",
  network: "GRAB_NETWORK",
  too_big: "GRAB_TOO_BIG",
  no_format: "GRAB_NO_FORMAT",
  tool_missing: "TOOL_MISSING",
  upload: "GRAB_UPLOAD_FAILED",
  failed: "GRAB_FAILED",
};

/** What a GrabError carries besides its message (all of it goes into the item_failed event). */
export interface GrabErrorData {
  kind: GrabErrorKind;
  url: string;
  /** A finer reason: private, removed, not_found, forbidden, geo, age, login, ... */
  reason?: string;
  /** The last lines of yt-dlp's stderr, as it wrote them. */
  stderr_tail?: string;
  /** What usually helps (e.g. --cookies for a platform that wants a login). */
  hint?: string;
  /** For too_big: the size found (bytes) and the limit. */
  bytes?: number;
  max_bytes?: number;
  /** For tool_missing: which tool. */
  tool?: string;
  /** For upload (--to): the file, the chat, and the code of the upload's own error. */
  path?: string;
  to?: string;
  upload_code?: string;
}

/** One link failed; `kind` says why (see classifyYtDlpError). */
export class GrabError extends TgpipeError {
  readonly kind: GrabErrorKind;
  readonly url: string;
  readonly stderrTail: string | undefined;

  /** `cause`: the error underneath (an upload's, for kind upload). */
  constructor(message: string, data: GrabErrorData, cause?: unknown) {
    super(message, { code: GRAB_ERROR_CODES[data.kind], data: { ...data }, cause });
    this.kind = data.kind;
    this.url = data.url;
    this.stderrTail = data.stderr_tail;
  }
}
