/**
 * The middleware every Telegram call goes through: flood waits pause this account and retry
 * (or, when another account can take the work, pause it and fail at once so the work moves),
 * transient failures retry with backoff and jitter, revoked sessions become LoginRequiredError,
 * and every other RPC error becomes a TelegramError carrying its code and message.
 */
import { ProxyError } from "../core/proxy.ts";
import { StoppedError, TelegramError, type TgpipeError } from "../core/errors.ts";
import type { Emit } from "../progress/events.ts";
import { CallTimeout, hedgedCall } from "./hedged_call.ts";
import { REVOKED, revokedError } from "./revoked.ts";
import type { RtoEstimator } from "./rto_estimator.ts";

/** How a call is retried and reported. Every field has a default. */
export interface CallPolicy {
  /** Receives `pause` and `retry` events. Default: none. */
  emit?: Emit;
  /** Account label for events (masked phone or user id); never a secret. */
  account?: string;
  /** Stops waiting and retrying. */
  signal?: AbortSignal;
  /** Flood waits honoured per call before giving up with a TelegramError. Default 5. */
  maxFloodWaits?: number;
  /** Longest single flood wait honoured, seconds. Default 3600. */
  maxFloodSeconds?: number;
  /** Retries after transient failures (disconnect, timeout, 5xx). Default 4. */
  maxRetries?: number;
  /** First backoff delay, doubled per attempt, plus up to 50% jitter. Default 500 ms. */
  baseDelayMs?: number;
  /**
   * First backoff delay instead of `baseDelayMs` when the call failed because its connection was
   * lost (closed, reset, not connected): for a caller that retries on another or a fresh connection,
   * the failure was the connection's, not a busy server's. Default `baseDelayMs`.
   */
  dropDelayMs?: number;
  /** A call with no answer after this long counts as a transient timeout. Default 60000 ms. */
  timeoutMs?: number;
  /**
   * Set for a request that only reads: when no answer came within `rto`'s adaptive timeout, up to
   * `copies` (default 4; their waits double) more copies go out while the first is still in flight
   * (`fn` gets the copy's number, to put it on another connection); the first answer wins and each
   * copy is a `retry` event. `timeoutMs` stays the longest wait.
   */
  hedge?: {
    rto: RtoEstimator;
    copies?: number;
    bytes?: number;
    waitForSent?: boolean;
    /** See HedgeOptions.shouldCopy. */
    shouldCopy?: () => boolean;
    /** See HedgeOptions.answerFrom. */
    answerFrom?: (copy: number) => number | undefined;
    /** See HedgeOptions.capMs. */
    capMs?: () => number | undefined;
    /** See HedgeOptions.onSettled (called after each attempt, before any flood wait or backoff). */
    onSettled?: () => void;
  };
  /**
   * Asked on FLOOD_WAIT with its seconds: true when another account can take this work. The call
   * then emits `pause` and throws the flood error (TelegramError 420) at once instead of sleeping
   * on this account; it emits no `resume` (the hook's owner ends the pause). Default: always sleep.
   */
  handoff?: (seconds: number) => boolean;
  /**
   * Told each time the call is held up: before it waits out a FLOOD_WAIT, sends a copy of a
   * request that looks lost, or retries after a transient error (a caller may start other work).
   */
  onTrouble?: () => void;
  /** Injected for tests: [0, 1). Default Math.random. */
  random?: () => number;
}

/** Runs `fn` (one Telegram call named `method`) under the policy; see the module comment. */
export async function callWithPolicy<T>(
  fn: (copy: number, sent: () => void) => Promise<T>,
  method: string,
  policy: CallPolicy = {},
): Promise<T> {
  const maxFlood = policy.maxFloodWaits ?? 5;
  const maxRetries = policy.maxRetries ?? 4;
  const base = policy.baseDelayMs ?? 500;
  const random = policy.random ?? Math.random;
  let floods = 0;
  let retries = 0;
  while (true) {
    _checkAborted(policy.signal);
    let err: unknown;
    try {
      return await hedgedCall(fn, {
        rto: policy.hedge?.rto,
        hedges: policy.hedge?.copies ?? 4,
        bytes: policy.hedge?.bytes,
        waitForSent: policy.hedge?.waitForSent,
        shouldCopy: policy.hedge?.shouldCopy,
        onSettled: policy.hedge?.onSettled,
        answerFrom: policy.hedge?.answerFrom,
        capMs: policy.hedge?.capMs,
        maxMs: policy.timeoutMs ?? 60_000,
        transient: isTransient,
        signal: policy.signal,
        onHedge: (copy, waited) => {
          policy.onTrouble?.();
          const e = mapTelegramError(new CallTimeout(`No answer within ${waited} ms`), method);
          policy.emit?.({
            type: "retry",
            attempt: copy,
            delay_ms: 0,
            error: {
              code: e.code,
              message: e.message,
              data: { ...e.data, method, waited_ms: waited, resent: true },
            },
          });
        },
      });
    } catch (e) {
      err = e;
    }
    _checkAborted(policy.signal);
    const seconds = floodSeconds(err);
    if (seconds !== undefined) {
      policy.onTrouble?.();
      // before the limits: a wait too long to sleep is no reason to fail when another account is free
      if (policy.handoff?.(seconds)) {
        policy.emit?.({ type: "pause", reason: "flood_wait", seconds, account: policy.account, method });
        throw mapTelegramError(err, method);
      }
      if (floods >= maxFlood || seconds > (policy.maxFloodSeconds ?? 3600)) {
        throw mapTelegramError(err, method);
      }
      floods++;
      policy.emit?.({ type: "pause", reason: "flood_wait", seconds, account: policy.account, method });
      await _sleep(seconds * 1000, policy.signal);
      policy.emit?.({ type: "resume", reason: "flood_wait", account: policy.account });
      continue;
    }
    if (isTransient(err) && retries < maxRetries) {
      policy.onTrouble?.();
      retries++;
      const first = _connectionLost(err) ? policy.dropDelayMs ?? base : base;
      const delay = Math.round(first * 2 ** (retries - 1) * (1 + random() / 2));
      const mapped = mapTelegramError(err, method);
      policy.emit?.({
        type: "retry",
        attempt: retries,
        delay_ms: delay,
        error: { code: mapped.code, message: mapped.message, data: { ...mapped.data, method } },
      });
      await _sleep(delay, policy.signal);
      continue;
    }
    throw mapTelegramError(err, method);
  }
}

/** The X of a FLOOD_WAIT_X (or SLOW_MODE_WAIT_X) error, else undefined. */
export function floodSeconds(err: unknown): number | undefined {
  const e = err as { code?: unknown; seconds?: unknown; errorMessage?: unknown } | null;
  if (e === null || typeof e !== "object") return undefined;
  if (e.code === 420 && typeof e.seconds === "number") return e.seconds;
  const m = typeof e.errorMessage === "string"
    ? /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT)_(\d+)$/.exec(e.errorMessage)
    : null;
  return m ? Number(m[1]) : undefined;
}

/** True for failures worth retrying: dropped connections, timeouts, Telegram 5xx. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; errorMessage?: unknown; message?: unknown; name?: unknown } | null;
  if (e === null || typeof e !== "object") return false;
  if (e instanceof CallTimeout) return true;
  // the proxy refused the tunnel while connecting: the same request would meet the same answer
  if (e instanceof ProxyError) return false;
  if (typeof e.code === "number" && (e.code >= 500 || e.code === -500 || e.code === -503)) return true;
  if (e.errorMessage === "RPC_CALL_FAIL" || e.errorMessage === "RPC_MCGET_FAIL") return true;
  if (_connectionLost(e)) return true;
  const msg = typeof e.message === "string" ? e.message : "";
  return /Connection refused|ECONNREFUSED|timed? ?out|Request was unsuccessful/i.test(msg) ||
    e.name === "ConnectionRefused";
}

/** A failure of the request's connection itself (not a refusal to connect, not a server error). */
function _connectionLost(err: unknown): boolean {
  const e = err as { message?: unknown; name?: unknown } | null;
  if (e === null || typeof e !== "object") return false;
  const msg = typeof e.message === "string" ? e.message : "";
  return /Not connected|disconnected|Connection (closed|reset)|ECONNRESET/i.test(msg) ||
    e.name === "ConnectionReset" || e.name === "BrokenPipe";
}

/** Maps a GramJS failure to tgpipe's typed errors; tgpipe errors pass through unchanged. */
export function mapTelegramError(err: unknown, method: string): TgpipeError {
  if (err !== null && typeof err === "object" && "exitCode" in err && "code" in err && "data" in err) {
    return err as TgpipeError;
  }
  const e = err as { code?: unknown; errorMessage?: unknown; message?: unknown } | null;
  const rpc = _migrateName(err) ?? (typeof e?.errorMessage === "string" ? e.errorMessage : undefined);
  if (rpc !== undefined && REVOKED.has(rpc)) {
    return revokedError(rpc);
  }
  const seconds = floodSeconds(err);
  if (seconds !== undefined) return new TelegramError(420, `FLOOD_WAIT_${seconds}`, method);
  if (rpc !== undefined && typeof e?.code === "number") return new TelegramError(e.code, rpc, method);
  if (err instanceof CallTimeout) return new TelegramError(-503, "TIMEOUT", method);
  const text = typeof e?.message === "string" ? e.message.split("\n")[0] : String(err);
  return new TelegramError(-1, text === "" ? "UNKNOWN" : text, method);
}

// GramJS turns X_MIGRATE_N into FileMigrateError & co. with a prose errorMessage and `newDc`:
// give back Telegram's own name so callers can match FILE_MIGRATE_N.
function _migrateName(err: unknown): string | undefined {
  const e = err as { code?: unknown; newDc?: unknown; constructor?: { name?: string } } | null;
  if (e === null || typeof e !== "object" || e.code !== 303 || typeof e.newDc !== "number") return undefined;
  const kind = /^(File|Phone|Network|User|Stats)Migrate/.exec(e.constructor?.name ?? "")?.[1];
  return kind ? `${kind.toUpperCase()}_MIGRATE_${e.newDc}` : undefined;
}

function _checkAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new StoppedError("Stopped");
}

function _sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new StoppedError("Stopped"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
