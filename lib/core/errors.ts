import { ExitCode, type ExitCodeValue } from "./exit_codes.ts";

/** Base of every domain error: a stable code, the exit code it maps to, and its data. */
export class TgpipeError extends Error {
  /** Stable machine-readable code, e.g. "FLOOD_WAIT" or "TOOL_MISSING". */
  readonly code: string;
  /** Process exit code this error maps to when it ends a command. */
  readonly exitCode: ExitCodeValue;
  /** Structured data for JSON events; never holds secrets. */
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    message: string,
    opts: { code: string; exitCode?: ExitCodeValue; data?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.exitCode = opts.exitCode ?? ExitCode.FAILED;
    this.data = opts.data ?? {};
  }
}

/** Bad usage or input detected before any work started (exit 2). */
export class UsageError extends TgpipeError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, { code: "USAGE", exitCode: ExitCode.USAGE, data });
  }
}

/** A configuration file or value is invalid (exit 2). */
export class ConfigError extends TgpipeError {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message, { code: "CONFIG", exitCode: ExitCode.USAGE, data: { path } });
    this.path = path;
  }
}

/** No usable Telegram session: the user must log in (exit 4). */
export class LoginRequiredError extends TgpipeError {
  readonly reason: string;
  constructor(message: string, reason = "no_session") {
    super(message, { code: "LOGIN_REQUIRED", exitCode: ExitCode.LOGIN, data: { reason } });
    this.reason = reason;
  }
}

/** Work stopped on purpose (signal, time budget, quota); re-running resumes (exit 75). */
export class StoppedError extends TgpipeError {
  readonly reason: string;
  constructor(message: string, reason = "interrupted", data: Record<string, unknown> = {}) {
    super(message, { code: "STOPPED", exitCode: ExitCode.STOPPED, data: { ...data, reason } });
    this.reason = reason;
  }
}

/**
 * A worker thread ended before it could take any task (its module failed to load or threw at the
 * top): not a passing network fault, so the runner does not retry it (exit 1); callers that can
 * do the work on their own thread fall back instead.
 */
export class WorkerStartError extends TgpipeError {
  /** The first line of why (a load error may carry a whole stack), for one-line warnings. */
  readonly why: string;
  constructor(reason: string) {
    const why = reason.split("\n")[0];
    super(`Worker could not start: ${why}`, { code: "WORKER_START_FAILED", data: { reason } });
    this.why = why;
  }
}

/** Some items of a batch failed; each was reported on its own (exit 3). */
export class PartialFailureError extends TgpipeError {
  readonly failed: number;
  readonly total: number;
  constructor(failed: number, total: number) {
    super(`${failed} of ${total} items failed`, {
      code: "PARTIAL",
      exitCode: ExitCode.PARTIAL,
      data: { failed, total },
    });
    this.failed = failed;
    this.total = total;
  }
}

/** Telegram asked this account to wait `seconds` before calling `method` again. */
export class FloodWaitError extends TgpipeError {
  readonly seconds: number;
  readonly method: string | undefined;
  constructor(seconds: number, method?: string) {
    super(`Flood wait of ${seconds}s${method ? ` on ${method}` : ""}`, {
      code: "FLOOD_WAIT",
      data: { seconds, method },
    });
    this.seconds = seconds;
    this.method = method;
  }
}

/** An RPC error from Telegram that tgpipe does not handle itself. */
export class TelegramError extends TgpipeError {
  readonly rpcCode: number;
  readonly rpcMessage: string;
  constructor(rpcCode: number, rpcMessage: string, context?: string) {
    super(`${_rpcSentence(rpcCode, rpcMessage)} (${rpcMessage}${context ? `, ${context}` : ""})`, {
      code: "TELEGRAM",
      data: { rpc_code: rpcCode, rpc_message: rpcMessage },
    });
    this.rpcCode = rpcCode;
    this.rpcMessage = rpcMessage;
  }
}

/** A chat, message or file the user named does not exist or is not accessible (exit 2). */
export class NotFoundError extends TgpipeError {
  readonly what: string;
  constructor(message: string, what: string) {
    super(message, { code: "NOT_FOUND", exitCode: ExitCode.USAGE, data: { what } });
    this.what = what;
  }
}

/** An external tool (ffmpeg, whisper-cli, rclone, ...) is not installed. */
export class ToolMissingError extends TgpipeError {
  readonly tool: string;
  readonly hint: string;
  constructor(tool: string, hint: string) {
    super(`${tool} not found: ${hint}`, { code: "TOOL_MISSING", data: { tool, hint } });
    this.tool = tool;
    this.hint = hint;
  }
}

/** An external tool ran and failed; carries the tail of its stderr. */
export class ToolFailedError extends TgpipeError {
  readonly tool: string;
  readonly status: number | null;
  readonly stderrTail: string;
  constructor(tool: string, status: number | null, stderrTail: string, reason?: string) {
    const why = reason ?? (status === null ? "was killed" : `exited with code ${status}`);
    const last = stderrTail.trim().split("\n").at(-1) ?? "";
    super(`${tool} ${why}${last ? `: ${last}` : ""}`, {
      code: "TOOL_FAILED",
      data: { tool, status, stderr_tail: stderrTail },
    });
    this.tool = tool;
    this.status = status;
    this.stderrTail = stderrTail;
  }
}

/** The progress store failed (locked, unreachable, or a newer schema). */
export class StoreError extends TgpipeError {
  readonly location: string;
  constructor(message: string, location: string, cause?: unknown, exitCode: ExitCodeValue = ExitCode.FAILED) {
    super(message, { code: "STORE", exitCode, data: { location }, cause });
    this.location = location;
  }
}

/** Turns any thrown value into a TgpipeError, keeping domain errors as they are. */
export function toTgpipeError(err: unknown): TgpipeError {
  if (err instanceof TgpipeError) return err;
  // RangeError is what argument checks throw (docs/architecture.md, errors); a TypeError is usually a bug.
  if (err instanceof RangeError) {
    return new TgpipeError(_firstLine(err.message), { code: "USAGE", exitCode: ExitCode.USAGE, cause: err });
  }
  // a file system error keeps its errno name (ENOSPC, EACCES) as the code people look up
  if (err instanceof Error) {
    return new TgpipeError(_firstLine(err.message), { code: errnoCode(err) ?? "INTERNAL", cause: err });
  }
  return new TgpipeError(_firstLine(String(err)), { code: "INTERNAL" });
}

function _firstLine(s: string): string {
  const line = s.split("\n")[0].trim();
  return line.length > 0 ? line : "Unknown error";
}

/** The errno name (ENOSPC, EACCES, ...) of a node:fs or Deno file system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
}

// What Telegram's most common refusals mean, for the one line people read; the code stays beside it.
const RPC_SENTENCES: Record<string, string> = {
  PEER_ID_INVALID: "Telegram does not know this chat for this account",
  CHANNEL_INVALID: "Telegram does not know this channel for this account",
  CHANNEL_PRIVATE: "This channel is private and the account is not a member",
  CHAT_ADMIN_REQUIRED: "This needs admin rights in the chat",
  CHAT_WRITE_FORBIDDEN: "The account cannot post in this chat",
  USER_BANNED_IN_CHANNEL: "The account is banned in this channel",
  MSG_ID_INVALID: "Telegram does not know this message",
  MESSAGE_ID_INVALID: "Telegram does not know this message",
  USERNAME_INVALID: "This username is not valid",
  USERNAME_NOT_OCCUPIED: "No chat has this username",
  FILE_REFERENCE_EXPIRED: "The file reference expired",
  AUTH_KEY_UNREGISTERED: "The session is no longer valid",
  SESSION_REVOKED: "The session was revoked",
};

function _rpcSentence(code: number, message: string): string {
  const known = RPC_SENTENCES[message];
  if (known) return known;
  if (code >= 500 || code < 0) return "Telegram had an internal error";
  return "Telegram refused the request";
}
