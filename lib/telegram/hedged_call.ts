/**
 * One request that may be sent more than once: when no answer came within the adaptive timeout
 * (RtoEstimator), another copy goes out (the caller puts it on another connection) while the
 * first stays in flight, and the first answer wins. A lost request then costs a few seconds
 * instead of a fixed minute, and a slow answer that was not lost costs nothing but a duplicate.
 * Only requests that read (see {@link isIdempotent}) are copied: a second sendMessage would post twice.
 */
import type { RtoEstimator } from "./rto_estimator.ts";

/** No answer within the call's longest wait. */
export class CallTimeout extends Error {}

/** Options of {@link hedgedCall}. */
export interface HedgeOptions {
  /** The timeout estimate of where the copies go; learns from each winning copy. */
  rto?: RtoEstimator;
  /** Copies sent after the first one at most. Default 0 (a plain timeout). */
  hedges?: number;
  /** Expected size of the answer in bytes (its transfer time is part of the wait). */
  bytes?: number;
  /**
   * Longest wait for any answer, ms, from the first send (with `waitForSent`, when it went out; the
   * wait for a connection before it is bounded by the same figure): then CallTimeout.
   */
  maxMs: number;
  /** True for a failure of one copy that another copy may not share (a dropped connection). */
  transient?: (err: unknown) => boolean;
  signal?: AbortSignal;
  /**
   * True when `send` calls its `sent` callback as the copy goes out (after a connection is
   * picked or opened): waits and answer times count from then. Default: from the call to `send`.
   */
  waitForSent?: boolean;
  /**
   * Asked each time the adaptive timeout passes: false when the copy in flight is known to be on
   * its way (its connection keeps answering the requests sent before it), and the timer is armed
   * again instead of sending a copy. Default: always copy.
   */
  shouldCopy?: () => boolean;
  /**
   * The longest the next copy may wait right now, ms, or undefined for no cap: read as each copy is
   * armed. A request alone on its connections has nothing to queue behind and no server to spare, so
   * its copies need neither the estimate's allowance for a busy connection nor the doubling.
   */
  capMs?: () => number | undefined;
  /** Runs `fn` after `ms` and returns what cancels it (tests pass their own). Default setTimeout. */
  schedule?: (fn: () => void, ms: number) => () => void;
  /**
   * When copy `copy`'s answer began to come, on `rto`'s clock (after its send: the time before it
   * waited behind other answers on its connection); the estimate learns from there. Default: its send.
   */
  answerFrom?: (copy: number) => number | undefined;
  /** Told of each copy sent for lack of an answer, with how long the call had waited (ms). */
  onHedge?: (copy: number, waitedMs: number) => void;
  /**
   * Called once the call settled (answer, error, timeout or abort): the copies still in flight
   * are nobody's any more, and the caller may take them back from its connections.
   */
  onSettled?: () => void;
}

/**
 * Sends `send(0)`, then another copy each time the adaptive timeout passes without an answer (the
 * wait doubles per copy, starting at most at half of `maxMs`; at most `hedges` such copies), and
 * resolves with the first answer. An RPC error rejects at once (another copy would get the same
 * answer); the first copy lost to a transient failure (a dropped connection) is replaced at once,
 * without touching the timer, and the last failure is the answer when no copy is left. Aborting
 * `signal` rejects with its reason.
 */
export function hedgedCall<T>(
  send: (copy: number, sent: () => void) => Promise<T>,
  opts: HedgeOptions,
): Promise<T> {
  const hedges = opts.rto ? opts.hedges ?? 0 : 0;
  // one immediate replacement: more turned one dropped connection carrying many requests into a
  // storm of copies on the next one; past it, the caller's backoff spaces the attempts
  const replacements = opts.rto ? 1 : 0;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let sent = 0;
    let timed = 0;
    let replaced = 0;
    let pending = 0;
    const schedule = opts.schedule ?? _schedule;
    // read when each copy goes out, not once: the estimate may have learnt meanwhile (a copy that
    // waited for a new connection started from the 2 s before any answer, and kept it); doubled per
    // copy sent for lack of an answer
    const wait = () =>
      Math.min(
        opts.rto!.timeoutMs(opts.bytes) * 2 ** timed,
        timed === 0 ? opts.maxMs / 2 : opts.maxMs,
        opts.capMs?.() ?? Infinity,
      );
    /** The wait the copy in flight was armed with: kept while shouldCopy says it is still on its way. */
    let armedMs = 0;
    let cancelHedge: (() => void) | undefined;
    /** Stops following the estimate's lessons for the armed wait (see arm). */
    let stopLearning = () => {};
    let firstSent = false;
    const finish = (then: () => void) => {
      if (settled) return;
      settled = true;
      cancelHedge?.();
      stopLearning();
      cancelDeadline();
      opts.signal?.removeEventListener("abort", onAbort);
      then();
      opts.onSettled?.();
    };
    // a copy's wait (and its answer time) starts when it goes out, not while it waits for a
    // connection to open: else every request queued behind a slow connect is copied at once
    const arm = (again = false) => {
      if (settled || timed >= hedges) return;
      // checked again after the same wait: an estimate that grew meanwhile (big answers that queued
      // behind others teach a low rate) put off the next check by many seconds; one that shrank
      // (the first answers of a new DC) brings it forward
      armedMs = again ? Math.min(armedMs, wait()) : wait();
      const armedAt = opts.rto!.start();
      cancelHedge = schedule(onTimer, armedMs);
      stopLearning();
      // armed on a default (no answer, or no rate for a 1 MB part: 2.4 s at a 30 ms RTT), the wait
      // follows the estimate's first lessons: a part lost among the first ones of a faulted download
      // waited out those 2.4 s while the DC's answers had taught ~600 ms within 100 ms
      if (!opts.rto!.provisional(opts.bytes)) return;
      stopLearning = opts.rto!.onLearn(() => {
        if (opts.rto!.provisional(opts.bytes)) return;
        stopLearning();
        const ms = Math.min(armedMs, wait());
        if (settled || ms >= armedMs) return;
        armedMs = ms;
        cancelHedge?.();
        cancelHedge = schedule(onTimer, Math.max(0, armedAt + ms - opts.rto!.start()));
      });
    };
    /** `primary`: the copy whose silence sends the next one (the first, then each timed copy). */
    const sendCopy = (primary: boolean) => {
      const copy = sent++;
      pending++;
      let started = opts.rto?.start() ?? 0;
      let armed = false;
      const onSent = () => {
        started = opts.rto?.start() ?? 0;
        if (!firstSent) {
          firstSent = true;
          // maxMs is the wait for an answer: it starts again when the first copy is out, so a
          // connection that took seconds to open (a handshake on a busy machine) does not eat it
          if (opts.waitForSent) (cancelDeadline(), cancelDeadline = _schedule(onDeadline, opts.maxMs));
        }
        if (primary && !armed) {
          armed = true;
          arm();
        }
      };
      let p: Promise<T>;
      try {
        p = send(copy, onSent);
      } catch (e) {
        p = Promise.reject(e);
      }
      if (!opts.waitForSent) onSent();
      p.then((v) => {
        pending--;
        if (settled) return;
        stopLearning(); // this answer's own lesson moves no timer: the call is over
        // timed from this copy's own send: never an answer to an earlier copy (Karn's rule)
        opts.rto?.observe(Math.max(started, opts.answerFrom?.(copy) ?? started), opts.bytes);
        finish(() => resolve(v));
      }, (e) => {
        pending--;
        if (settled) return;
        const retryable = opts.transient?.(e) ?? false;
        if (retryable && replaced < replacements) {
          replaced++;
          sendCopy(primary && !armed);
        } else if (!retryable || pending === 0) finish(() => reject(e));
      });
    };
    const t0 = performance.now();
    const onTimer = () => {
      if (settled) return;
      if (opts.shouldCopy && !opts.shouldCopy()) return arm(true);
      timed++;
      opts.onHedge?.(sent, Math.round(performance.now() - t0));
      sendCopy(true);
    };
    const onDeadline = () => finish(() => reject(new CallTimeout(`No answer within ${opts.maxMs} ms`)));
    // also bounds the wait for a connection before the first send (a real timer: `schedule` is the
    // hedge timer's, which tests drive by hand)
    let cancelDeadline = _schedule(onDeadline, opts.maxMs);
    const onAbort = () => finish(() => reject(opts.signal?.reason));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    sendCopy(true);
  });
}

function _schedule(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}

/**
 * True for requests that only read, so a second copy changes nothing: Get*, Search*, Resolve*
 * methods (and auth.exportAuthorization), also inside InvokeWith* wrappers (takeout, layer).
 */
export function isIdempotent(request: object): boolean {
  let r = request as { className?: string; query?: object };
  while (r.className?.startsWith("InvokeWith") && r.query) r = r.query as typeof r;
  // exportAuthorization only mints a token for another DC: a second one is as good as the first
  return /^(\w+\.)?(Get|Search|Resolve)[A-Z]/.test(r.className ?? "") ||
    r.className === "auth.ExportAuthorization";
}
