/**
 * What can go wrong with a sync target, by what to do about it: retry (transient), stop the run
 * and come back later (quota, exit 75), fix the configuration (auth, exit 1; a missing remote,
 * exit 2), or fail this one item (anything else).
 */
import { ExitCode } from "../core/exit_codes.ts";
import { StoppedError, TgpipeError } from "../core/errors.ts";

/** The class of a remote failure, as the sync pipeline acts on it. */
export type RemoteErrorClass = "transient" | "quota" | "auth" | "missing" | "item";

/** A remote operation failed for this item; `transient` says whether another attempt may work. */
export class RemoteError extends TgpipeError {
  readonly remote: string;
  readonly transient: boolean;
  constructor(message: string, opts: { remote: string; transient: boolean; line?: string; cause?: unknown }) {
    super(message, {
      code: opts.transient ? "REMOTE_TRANSIENT" : "REMOTE",
      data: { remote: opts.remote, line: opts.line },
      cause: opts.cause,
    });
    this.remote = opts.remote;
    this.transient = opts.transient;
  }
}

/**
 * The remote's quota is used up (Drive's daily upload limit, storage full, --max-transfer):
 * the run stops starting work, saves its state and exits 75; `retryAfterS` says when to run again.
 */
export class RemoteQuotaError extends StoppedError {
  readonly remote: string;
  readonly retryAfterS: number | undefined;
  constructor(message: string, opts: { remote: string; retryAfterS?: number; line?: string }) {
    super(message, "quota", { remote: opts.remote, retry_after_s: opts.retryAfterS, line: opts.line });
    this.remote = opts.remote;
    this.retryAfterS = opts.retryAfterS;
  }
}

/** The remote refused the credentials or cannot be written (read-only, no permission): exit 1. */
export class RemoteAuthError extends TgpipeError {
  readonly remote: string;
  constructor(message: string, opts: { remote: string; line?: string }) {
    super(message, { code: "REMOTE_AUTH", data: { remote: opts.remote, line: opts.line } });
    this.remote = opts.remote;
  }
}

/** The remote is not in rclone's configuration (or the local folder cannot exist): exit 2, nothing done. */
export class RemoteMissingError extends TgpipeError {
  readonly remote: string;
  constructor(message: string, opts: { remote: string; line?: string }) {
    super(message, {
      code: "REMOTE_MISSING",
      exitCode: ExitCode.USAGE,
      data: { remote: opts.remote, line: opts.line },
    });
    this.remote = opts.remote;
  }
}

/** Whether a failure ends the whole run at once (auth, missing remote): every item would fail alike. */
export function isFatalRemoteError(err: unknown): boolean {
  return err instanceof RemoteAuthError || err instanceof RemoteMissingError;
}

/** Whether another attempt of the same operation may succeed. */
export function isTransientRemoteError(err: unknown): boolean {
  return err instanceof RemoteError && err.transient;
}
