/**
 * Sorts an upload failure into the report's categories, so the summary can count them and give
 * advice: rate_limit, flood, corruption, auth, connection, source, too_big, forbidden, unknown.
 */
import { errnoCode, TelegramError, toTgpipeError } from "../../core/errors.ts";
import { isTransient } from "../../engine/is_transient.ts";
import { SourceFailure } from "../../engine/source_errors.ts";

/** The categories of the upload report, in report order. */
export const ERROR_CATEGORIES = [
  "rate_limit",
  "flood",
  "corruption",
  "auth",
  "connection",
  "source",
  "too_big",
  "forbidden",
  "unknown",
] as const;

/** One error category. */
export type ErrorCategory = typeof ERROR_CATEGORIES[number];

const FORBIDDEN =
  /^(CHAT_WRITE_FORBIDDEN|CHAT_ADMIN_REQUIRED|CHAT_SEND_\w+_FORBIDDEN|USER_BANNED_IN_CHANNEL|CHANNEL_PRIVATE|CHAT_RESTRICTED|USER_IS_BLOCKED|PEER_ID_INVALID)$/;
const CORRUPT =
  /^(MD5_CHECKSUM_INVALID|FILE_PART_\w+|FILE_PARTS_INVALID|PHOTO_INVALID\w*|IMAGE_PROCESS_FAILED|MEDIA_INVALID|MEDIA_EMPTY)$/;
const RATE = /^(SLOWMODE_WAIT_\d+|PEER_FLOOD|FLOOD_PREMIUM_WAIT_\d+)$/;

// failures another attempt cannot fix: the file itself is the problem
const PERMANENT = new Set(["TOO_BIG", "EMPTY_FILE", "SOURCE", "NOT_MEDIA"]);

/** True for an upload failure worth another attempt in the same run (transient, not the file's own). */
export function isRetryableUpload(err: unknown): boolean {
  return isTransient(err) && !PERMANENT.has(toTgpipeError(err).code);
}

/** The category of `err` (see module comment). */
export function errorCategory(err: unknown): ErrorCategory {
  // a source knows what went wrong: an HTTP status, a dropped origin, a length that lied
  if (err instanceof SourceFailure) return err.category;
  if (errnoCode(err) !== undefined) return "source";
  const e = toTgpipeError(err);
  if (e.code === "TOO_BIG") return "too_big";
  if (e.code === "LOGIN_REQUIRED" || e.exitCode === 4) return "auth";
  if (e.code === "SOURCE" || e.code === "EMPTY_FILE" || /^HTTP/.test(e.code)) return "source";
  if (e.code === "FLOOD_WAIT") return "flood";
  if (e.code === "STALL" || e.code === "TIMEOUT") return "connection";
  if (e.code === "CORRUPT_MEDIA") return "corruption";
  if (e instanceof TelegramError) {
    const m = e.rpcMessage;
    if (RATE.test(m) || e.rpcCode === 429) return "rate_limit";
    if (e.rpcCode === 420 || /^FLOOD_WAIT_\d+$/.test(m)) return "flood";
    if (FORBIDDEN.test(m) || e.rpcCode === 403) return "forbidden";
    if (e.rpcCode === 401 || /^(AUTH_|SESSION_)/.test(m)) return "auth";
    if (CORRUPT.test(m)) return "corruption";
    if (e.rpcCode < 0 || e.rpcCode >= 500) return "connection";
    return "unknown";
  }
  if (/Connection|ECONN|timed? ?out|network/i.test(e.message)) return "connection";
  return "unknown";
}

/** What to do about failures of each category (one line each). */
export const ADVICE: Record<ErrorCategory, string> = {
  rate_limit:
    "Telegram limited the sending rate: send fewer files at once (--concurrency) or spread them over time",
  flood:
    "Many flood waits: lower --concurrency / --part-concurrency, or share the work with --account / --bot-token",
  corruption:
    "Telegram refused some files' bytes (changed while uploading or damaged): check them and run again",
  auth: "The session is not valid any more: run `tgpipe login` again",
  connection:
    "The connection to Telegram failed or stalled: check the network; running again resumes where it stopped",
  source:
    "Some inputs could not be read (missing, unreadable, changed or empty; URLs: HTTP errors): check the paths and URLs",
  too_big: "Some files are over the account's upload limit: use --split, or a Premium account (larger limit)",
  forbidden: "The account may not post there: pick another --to, or ask for the right to post",
  unknown: "Some files failed for other reasons: see their errors (item_failed events with --json)",
};
