/**
 * Whether a file request's copy in flight looks lost once its adaptive timeout passed, judged from
 * its connection (SenderLedger) and its whole DC (dcBusy); and the shapes FilePool keeps per DC,
 * sender and copy for that judgement.
 */
import type { RtoEstimator } from "./rto_estimator.ts";
import type { DcKey } from "./file_senders.ts";
import type { CopyWatch, SenderLedger } from "./sender_ledger.ts";
import { dcBusy, type DcWatch } from "./dc_busy.ts";
import type { PickableDc } from "./pick_sender.ts";

/** One MTProto sender of a FilePool, with its load and what it was asked. */
export interface PoolSender {
  // deno-lint-ignore no-explicit-any
  s: any;
  busy: number;
  /**
   * Rejecters of the requests in flight, called when the sender is dropped (GramJS leaves the
   * requests of a closed sender pending). Not a shared "gone" promise raced against each call:
   * such a promise keeps every race it joined, and so every 1 MB answer, alive until it settles.
   */
  waiting: Set<(e: Error) => void>;
  /** What it was asked and answered (tells a request waiting its turn from a lost one). */
  ledger: SenderLedger;
  drop: () => void;
}

/** The latest copy of a request: its sender and its watch there. */
export interface PoolCopy {
  sender: PoolSender;
  watch: CopyWatch;
  /** The copy as its DC saw it (dcBusy). */
  dc: DcWatch;
}

/** A DC's senders; its key (once the first sender has it) and answer times (when a copy goes out). */
export interface PoolDc extends DcKey, PickableDc<PoolSender> {
  rto: RtoEstimator;
  /** Answers over all its senders, and when the first came (dcBusy). */
  answers: number;
  firstAnswerAt?: number;
}

/** How long a connection that has not answered anything yet may stay silent before its requests look lost. */
const FIRST_ANSWER_GRACE_MS = 2000;

/** Whether `dc` has nothing in flight but `own` requests (one call's copies). */
export function dcAlone(dc: PoolDc | undefined, own: number): boolean {
  return (dc?.senders.reduce((n, s) => n + s.busy, 0) ?? 0) <= own;
}

/**
 * Whether the copy `c` (of `method`, one of `own` copies of its call) looks lost, so another copy
 * should go out: its sender was dropped, or its ledger says so (SenderLedger.looksLost: a connection
 * that keeps answering the requests sent before it is working through its queue), unless the whole
 * DC is busy (dcBusy: silent everywhere, or this connection new and the DC's first answers recent).
 */
export function copyLooksLost(
  dc: PoolDc | undefined,
  c: PoolCopy | undefined,
  method: string,
  own: number,
): boolean {
  if (!c || !dc?.senders.includes(c.sender)) return true;
  const now = performance.now();
  const othersWaiting = dc.senders.some((x) => x !== c.sender && x.busy > 0);
  const state = { answers: dc.answers, firstAnswerAt: dc.firstAnswerAt, othersWaiting };
  const conn = { answers: c.sender.ledger.answers, received: receivedBytes(c.sender) };
  if (dcBusy(state, c.dc, conn, now, FIRST_ANSWER_GRACE_MS)) return false;
  // the grace of a connection that never answered is for a DC busy with a batch's first parts;
  // with nothing else in flight on a DC that has answered, silence is loss (a hash request lost on
  // the connection that imported the authorization waited out the 2 s in a faulted download)
  const grace = dc.answers > 0 && dcAlone(dc, own) ? 0 : FIRST_ANSWER_GRACE_MS;
  return c.sender.ledger.looksLost(c.watch, method, now, grace);
}

/** Bytes the sender's socket received so far (FastSocket; 0 for another transport). */
export function receivedBytes(s: PoolSender): number {
  return Number(s.s._connection?.socket?.received ?? 0);
}
