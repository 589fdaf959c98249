/**
 * Whether a request whose adaptive timeout passed should wait rather than be copied, judged from its
 * whole DC rather than its one connection. When the DC answered nothing anywhere since the last check
 * while other connections wait on it too, the server is busy (at the start of a batch it works
 * through dozens of 1 MB parts and hash requests at once, seconds on a busy machine): a copy would
 * only go to another connection as silent as this one and add to that work. In `bench download
 * --small` most first parts and over a hundred hash requests were copied so. A connection that never
 * answered gets its grace from the DC's first answer, not from its send. A connection that received
 * bytes since the last check but no whole answer is in the middle of a big one (a 1 MB part slower
 * than the timeout on a starved machine), not stuck. Otherwise a request alone on its DC (or with
 * every other request on the same connection) is judged by its connection's ledger only.
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
  /** Its connection's whole answers and bytes received, when the copy went out, then at each check. */
  connAnswers: number;
  received: number;
}

/**
 * True when the copy should wait another timeout (see module comment); `connAnswers` are the answers
 * its own connection gave so far. Updates `w` to this check.
 */
export function dcBusy(
  dc: DcState,
  w: DcWatch,
  conn: { answers: number; received: number },
  now: number,
  graceMs: number,
): boolean {
  const dcSilent = dc.answers === w.dcAnswers;
  // bytes came in on the connection but no whole answer: a big answer (a 1 MB part) is on its way
  // there, slower than the timeout on a starved machine; the connection is alive and working
  const midAnswer = conn.answers === w.connAnswers && conn.received !== w.received;
  w.dcAnswers = dc.answers;
  w.connAnswers = conn.answers;
  w.received = conn.received;
  if (midAnswer) return true;
  const connAnswers = conn.answers;
  if (!dc.othersWaiting) return false;
  if (dcSilent) return true;
  return connAnswers === 0 && dc.firstAnswerAt !== undefined &&
    now - Math.max(w.sentAt, dc.firstAnswerAt) < graceMs;
}
