/**
 * Whether a request whose adaptive timeout passed should wait rather than be copied, judged from its
 * whole DC rather than its one connection. When the DC answered nothing anywhere since the last check
 * while other connections wait on it too, the server is busy (at the start of a batch it works
 * through dozens of 1 MB parts and hash requests at once, seconds on a busy machine): a copy would
 * only go to another connection as silent as this one and add to that work. In `bench download
 * --small` most first parts and over a hundred hash requests were copied so. A connection that never
 * answered gets its grace from the DC's first answer, not from its send. A request alone on its DC
 * (or with every other request on the same connection) is judged by its connection's ledger only.
 */

/** What the pool knows of one DC when a copy's timeout passes. */
export interface DcState {
  /** Answers over all its connections so far. */
  answers: number;
  /** When any of its connections first answered (undefined before). */
  firstAnswerAt?: number;
  /** Whether a connection other than the copy's has requests in flight. */
  othersWaiting: boolean;
}

/** One copy of a request as the DC saw it. */
export interface DcWatch {
  /** The DC's answers when the copy went out, then at each check. */
  dcAnswers: number;
  sentAt: number;
}

/**
 * True when the copy should wait another timeout (see module comment); `connAnswers` are the answers
 * its own connection gave so far. Updates `w` to this check.
 */
export function dcBusy(dc: DcState, w: DcWatch, connAnswers: number, now: number, graceMs: number): boolean {
  const dcSilent = dc.answers === w.dcAnswers;
  w.dcAnswers = dc.answers;
  if (!dc.othersWaiting) return false;
  if (dcSilent) return true;
  return connAnswers === 0 && dc.firstAnswerAt !== undefined &&
    now - Math.max(w.sentAt, dc.firstAnswerAt) < graceMs;
}
