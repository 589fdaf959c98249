/**
 * Turns a failed rclone run (exit status and the tail of its log, JSON lines with --use-json-log)
 * into the remote error class the sync pipeline acts on. rclone's exit codes only partly say it
 * (1.60 exits 1 for a lost connection and for a refused password alike; 8 is --max-transfer), so
 * the error lines decide, with the exit code as a tie-breaker. The patterns were taken from real
 * rclone output, provoked in tests/remote/classify_rclone_test.ts.
 */
import { RemoteAuthError, RemoteError, RemoteMissingError, RemoteQuotaError } from "./remote_errors.ts";

/** rclone's documented exit codes that matter here. */
const EXIT_RETRY = 5;
const EXIT_FATAL = 7;
const EXIT_MAX_TRANSFER = 8;

const DAY_S = 24 * 3600;

const MISSING = [/didn't find section in config file/i, /config file .* not found/i, /unknown backend/i];
const AUTH = [
  /unable to authenticate/i,
  /permission denied/i,
  /read[- ]only file system/i,
  /access denied/i,
  /invalid_grant/i,
  /invalid_client/i,
  /unauthori[sz]ed/i,
  /\b401\b/,
  /token (has been )?expired or revoked/i,
  /couldn't decrypt password/i,
  /insufficient(Permissions| permission)/i,
];
const QUOTA_HARD = [
  /max transfer limit reached/i,
  /storageQuotaExceeded/i,
  /quotaExceeded/i,
  /quota exceeded/i,
  /insufficient storage/i,
  /\b507\b/,
  /no space left on device/i,
  /uploadLimitExceeded/i,
  /teamDriveFileLimitExceeded/i,
];
// Drive answers its daily upload cap (750 GB) with a rate-limit message; --drive-stop-on-upload-limit
// makes rclone treat it as fatal, and only then is it a quota rather than a rate limit.
const DRIVE_UPLOAD_LIMIT = /User rate limit exceeded/i;
const TRANSIENT = [
  /connection (refused|reset|lost|closed)/i,
  /broken pipe/i,
  /\bEOF\b/,
  /i\/o timeout/i,
  /timeout/i,
  /no such host/i,
  /network is unreachable/i,
  /TLS handshake/i,
  /\b5\d\d\b/,
  /rate ?limit/i,
  /too many requests/i,
  /\b429\b/,
  /try again/i,
  /temporar/i,
];

/** The line that says what went wrong: the last error message of the log. */
export function rcloneErrorLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (l.startsWith("{")) {
      try {
        const j = JSON.parse(l) as { level?: string; msg?: string };
        if (j.level === "error" && j.msg && !/not attempting retries|^Attempt \d/.test(j.msg)) {
          return j.msg.trim();
        }
      } catch { /* a cut line at the start of the tail */ }
      continue;
    }
    // "2024/01/02 03:04:05 Failed to copyto: ..." (the final line, not in JSON)
    const m = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (?:ERROR : |CRITICAL: |NOTICE: )?(.*)$/.exec(l);
    if (m && /fail|error|didn't|couldn't|not found|denied|limit/i.test(m[1])) return m[1].trim();
  }
  return lines.at(-1) ?? "";
}

/** The messages of the log without JSON keys, timestamps or source lines (a "go:538" is no HTTP 538). */
function _messages(stderr: string): string {
  return stderr.split("\n").map((l) => {
    const t = l.trim();
    if (t.startsWith("{")) {
      try {
        return String((JSON.parse(t) as { msg?: unknown }).msg ?? "");
      } catch {
        return "";
      }
    }
    return t.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "");
  }).join("\n");
}

/**
 * The typed error of a failed rclone run. `status` is null when rclone was killed (by a signal
 * not of ours), which is transient: the next attempt starts over.
 *
 * @example
 * ```ts
 * classifyRclone(8, tail, "gdrive:backup") // RemoteQuotaError (--max-transfer reached)
 * ```
 */
export function classifyRclone(
  status: number | null,
  stderr: string,
  remote: string,
): RemoteError | RemoteQuotaError | RemoteAuthError | RemoteMissingError {
  const line = rcloneErrorLine(stderr);
  const text = _messages(stderr);
  const what = line || `rclone exited with code ${status}`;
  if (MISSING.some((r) => r.test(text))) {
    return new RemoteMissingError(`Remote ${remote} is not configured in rclone: ${what}`, { remote, line });
  }
  const fatal = status === EXIT_FATAL || /Fatal error received/i.test(stderr);
  if (status === EXIT_MAX_TRANSFER || QUOTA_HARD.some((r) => r.test(text))) {
    const perRun = status === EXIT_MAX_TRANSFER || /max transfer/i.test(text);
    const retryAfterS = perRun ? 0 : DAY_S;
    const when = perRun ? "run again to continue (the limit counts per run)" : "run again in 24 hours";
    return new RemoteQuotaError(`Quota of ${remote} reached, ${when}: ${what}`, {
      remote,
      retryAfterS,
      line,
    });
  }
  if (DRIVE_UPLOAD_LIMIT.test(text) && fatal) {
    return new RemoteQuotaError(
      `Daily upload limit of ${remote} reached, run again in 24 hours: ${what}`,
      { remote, retryAfterS: DAY_S, line },
    );
  }
  if (AUTH.some((r) => r.test(text))) {
    return new RemoteAuthError(`Remote ${remote} refused access: ${what}`, { remote, line });
  }
  const transient = status === null || status === EXIT_RETRY || TRANSIENT.some((r) => r.test(text));
  return new RemoteError(`rclone failed on ${remote}: ${what}`, {
    remote,
    transient: transient && !fatal,
    line,
  });
}
