/**
 * What one file connection was asked and has answered, to tell a request that waits its turn from
 * one that was lost. A connection answers roughly in the order it was asked: answers to requests
 * sent before a copy are its queue draining, answers to requests sent after it mean it was
 * skipped. Without the second half, a lost part on a connection that kept answering hash requests
 * of other files was never copied (it waited the 60 s timeout; seen in faulted exports: 10 s of a
 * 14 s run on one part).
 */

/** One copy of a request on a connection, as seen when it went out and at the last check. */
export interface CopyWatch {
  seq: number;
  /** The connection's answers at the last check (at first: when the copy went out). */
  answers: number;
  sentAt: number;
}

/** The requests of one connection (see module comment). */
export class SenderLedger {
  /** Answers received so far. */
  answers = 0;
  #sent = 0;
  /** Sequence numbers sent and neither answered nor given up. */
  readonly #open = new Set<number>();
  /** The highest sequence number answered. */
  #last = 0;
  /** Per method, the highest sequence number answered. */
  readonly #lastOf = new Map<string, number>();
  /** When the latest answer arrived (undefined before the first). */
  #lastAnswerAt: number | undefined;

  /** Records a request going out; returns the watch of that copy. */
  send(now: number): CopyWatch {
    const seq = ++this.#sent;
    this.#open.add(seq);
    return { seq, answers: this.answers, sentAt: now };
  }

  /** Records the answer to request `seq` of `method`. */
  answer(seq: number, method: string): void {
    this.answers++;
    this.#open.delete(seq);
    this.#last = Math.max(this.#last, seq);
    this.#lastOf.set(method, Math.max(seq, this.#lastOf.get(method) ?? 0));
  }

  /**
   * Called when an answer to a copy sent at `sentAt` arrives at `now`: when its own transfer began,
   * which is the previous answer on this connection if that came after the send (the answers come
   * one after another: until then it waited its turn). Timed from its send, a 1 MB part queued
   * behind others taught a rate several times too low, and the transfer allowance grew to 8-10 s.
   */
  transferStart(sentAt: number, now: number): number {
    const from = Math.max(sentAt, this.#lastAnswerAt ?? sentAt);
    this.#lastAnswerAt = Math.max(now, this.#lastAnswerAt ?? now);
    return Math.min(from, now);
  }

  /** Request `seq` no longer waits for an answer here (it failed, or its call is over). */
  forget(seq: number): void {
    this.#open.delete(seq);
  }

  /**
   * Asked when `w`'s adaptive timeout passed: true when it looks lost, so another copy should go
   * out. Lost: a later request of the same method was answered; or nothing was answered since the
   * last check (after `graceMs` for a connection that never answered: its first big parts may take
   * longer than a timeout learnt from small requests); or, with nothing sent before it still
   * waiting, a later request was answered. Answers to earlier requests still in flight are the
   * queue draining: it waits another timeout (at the start of a download dozens of 1 MB parts
   * share the connections, and copying them all doubled the work).
   */
  looksLost(w: CopyWatch, method: string, now: number, graceMs = 0): boolean {
    const progressed = this.answers !== w.answers;
    w.answers = this.answers;
    let lost: boolean;
    if ((this.#lastOf.get(method) ?? 0) > w.seq) lost = true;
    else if (!progressed) lost = !(this.answers === 0 && now - w.sentAt < graceMs);
    else lost = !this.#ahead(w.seq) && this.#last > w.seq;
    // a copy taken for lost holds up nothing behind it any more
    if (lost) this.#open.delete(w.seq);
    return lost;
  }

  #ahead(seq: number): boolean {
    for (const s of this.#open) if (s < seq) return true;
    return false;
  }
}
