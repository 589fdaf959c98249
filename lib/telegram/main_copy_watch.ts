/**
 * When a read on the client's main connection deserves another copy. GramJS keeps one connection
 * per DC, so a copy goes out on the same connection as the first: worth it only for a request the
 * DC lost, not for one whose answer is merely late. Two cases are late, not lost: the connection is
 * being opened again (GramJS sends every unanswered request once it is up), and the connection is
 * still answering the requests sent before this one, in turn (SenderLedger.looksLost). Both were
 * copied before: in a fault-free export six of the seven first history pages were sent twice
 * while their answers waited for this thread, and under faults every such copy was one more
 * request that could draw a disconnect or a FLOOD_WAIT (which fails the whole call).
 */
import type { CopyWatch, SenderLedger } from "./sender_ledger.ts";

/** What {@link mainCopyLost} reads of the connection's state. */
export interface MainConnectionState {
  /** True while GramJS opens the connection again after a drop. */
  reconnecting: boolean;
  ledger: SenderLedger;
  now: number;
}

/** True when the copy `w` of a `method` call on the main connection looks lost (see module comment). */
export function mainCopyLost(w: CopyWatch | undefined, method: string, s: MainConnectionState): boolean {
  if (s.reconnecting) return false;
  return w === undefined || s.ledger.looksLost(w, method, s.now);
}
