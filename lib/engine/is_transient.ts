import { errnoCode, TelegramError, toTgpipeError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_codes.ts";
import { SourceFailure } from "./source_errors.ts";

// items whose problem is the input itself: another attempt gives the same answer
const PERMANENT = new Set([
  "NO_MEDIA",
  "MESSAGE_NOT_FOUND",
  "VERIFY_FAILED",
  "NOT_FOUND",
  "USAGE",
  "CONFIG",
  "SPLIT_MISMATCH",
  // a worker module that cannot load fails the same way every time
  "WORKER_START_FAILED",
]);

/**
 * True for failures worth another attempt later in the same run (the job runner puts the item
 * back in the queue): network trouble, stalls, timeouts, Telegram's 5xx and flood waits. False for
 * bad input, login, disk errors (ENOSPC, EACCES), a file that failed verification, Telegram's
 * other 4xx answers, a source failure that says a retry cannot help, and a stop.
 */
export function isTransient(err: unknown): boolean {
  if (errnoCode(err) !== undefined) return false;
  const e = toTgpipeError(err);
  if (e.exitCode !== ExitCode.FAILED || PERMANENT.has(e.code)) return false;
  if (e instanceof TelegramError) return e.rpcCode === 420 || e.rpcCode >= 500 || e.rpcCode < 0;
  // an upload source knows: an HTTP 404 or a lying length stays so, a dropped origin may not
  if (e instanceof SourceFailure) return e.retryable;
  return true;
}

/**
 * The runner's retry options of commands whose items fail on the network now and then (download's
 * files, export's chats): two more attempts, after 2 s and 4 s, each at the back of the queue.
 */
export const TRANSIENT_RETRIES = {
  retries: 2,
  isRetryable: isTransient,
  retryDelayMs: (attempt: number) => 2000 * attempt,
} as const;
