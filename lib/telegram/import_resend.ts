/**
 * auth.importAuthorization on a new DC's first connection, sent again with a fresh token (one
 * auth.exportAuthorization each: a token is good once) when no answer came within the adaptive
 * timeout, while the earlier imports stay in flight; the first answer wins. Before, a lost import
 * failed the whole opening after two timeouts and the next one made a new auth key first: every
 * file on that DC waited 5 s and more (seen in faulted exports of `deno task bench faults`).
 */

/** Options of {@link importWithResend}. */
export interface ImportResendOptions<T> {
  /** The token of the first import (an export already under way). */
  first: Promise<T>;
  /** Exports a fresh token. */
  exportToken: () => Promise<T>;
  /** Sends one import with `token`; resolves with its answer. */
  send: (token: T) => Promise<unknown>;
  /** How long to wait for an answer before the next import goes out, ms (doubled per import). */
  waitMs: () => number;
  /** Imports at most. Default 3. */
  attempts?: number;
  /** Longest wait for any answer, ms: then an error naming `what`. */
  maxMs: number;
  what: string;
  /** Runs `fn` after `ms`, returns what cancels it (tests pass their own). Default setTimeout. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/** Resolves once one import was answered; rejects when every import failed or `maxMs` passed. */
export function importWithResend<T>(o: ImportResendOptions<T>): Promise<void> {
  const schedule = o.schedule ?? ((fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  });
  const attempts = Math.max(1, o.attempts ?? 3);
  return new Promise<void>((resolve, reject) => {
    let settled = false, started = 0, pending = 0;
    let cancelNext: (() => void) | undefined;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      cancelNext?.();
      cancelDeadline();
      if (err === undefined) resolve();
      else reject(err);
    };
    const start = (token: Promise<T>) => {
      started++;
      pending++;
      token.then((t) => o.send(t)).then(() => finish(), (err) => {
        pending--;
        if (settled || pending > 0) return;
        // nothing left in flight: the next import now, not after the timer
        if (started < attempts) {
          cancelNext?.();
          next();
        } else finish(err);
      });
      if (started < attempts) cancelNext = schedule(next, o.waitMs() * 2 ** (started - 1));
    };
    const next = () => {
      if (!settled) start(o.exportToken());
    };
    const cancelDeadline = schedule(() => finish(new Error(`${o.what} timed out`)), o.maxMs);
    start(o.first);
  });
}
