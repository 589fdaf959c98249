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
  /** Checks in a row that found the whole DC silent (see MAX_SILENT_CHECKS). */
  silentChecks?: number;
}

/**
 * Bytes that must come in on the connection between two checks for it to count as mid-answer: a part
 * in flight brings kilobytes, while a stalled request's connection still gets the server's acks, pongs
 * and salts (tens of bytes each), and those alone held a lost part until the stall timeout (20-30 s).
 */
const MID_ANSWER_BYTES = 4096;
/**
 * Checks in a row a silent DC may hold a copy back. A busy server's silence ends with its burst (1-2 s
 * at a batch's start), but one whose every request in flight was lost stays silent: without a bound
 * those waited for the stall timeout.
 */
const MAX_SILENT_CHECKS = 3;

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
  const midAnswer = conn.answers === w.connAnswers && conn.received - w.received >= MID_ANSWER_BYTES;
  w.dcAnswers = dc.answers;
  w.connAnswers = conn.answers;
  w.received = conn.received;
  w.silentChecks = dcSilent && dc.othersWaiting && !midAnswer ? (w.silentChecks ?? 0) + 1 : 0;
  if (midAnswer) return true;
  const connAnswers = conn.answers;
  if (!dc.othersWaiting) return false;
  // before its first answer a new DC is still making keys and its first parts: no bound then
  if (dcSilent) return dc.firstAnswerAt === undefined || w.silentChecks <= MAX_SILENT_CHECKS;
  return connAnswers === 0 && dc.firstAnswerAt !== undefined &&
    now - Math.max(w.sentAt, dc.firstAnswerAt) < graceMs;
}
