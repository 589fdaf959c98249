/**
 * Takes back the copies of a request GramJS still holds once the call they belong to is over (a
 * hedged read answered by another copy, or given up). GramJS keeps every request it sent until its
 * answer comes and sends them all again after each reconnect: a copy the DC never answered came
 * back on every new connection for the rest of the run, each time one more request that could draw
 * a fault (seen in a faulted export: a lost contacts.resolveUsername resent on four connections in
 * a row, the first request on two of them, and both dropped).
 */

/** The parts of GramJS's MTProtoSender this reads (its send queue and the states awaiting answers). */
export interface SenderQueues {
  _pendingState?: { _pending: Map<string, _State> };
  _sendQueue?: { _queue: Array<_State | undefined>; _pendingStates: _State[] };
  /** Requests held back after a reconnect (probe_resend.ts). */
  _tgpipeHeld?: _State[];
}

interface _State {
  request: unknown;
  reject?: (e: unknown) => void;
}

/**
 * Removes every state of `request` from `sender`'s queue and from the requests awaiting an answer,
 * failing each with `reason` (nobody waits for them any more); returns how many were removed. An
 * answer that still comes for one is dropped by GramJS as an answer to nothing.
 */
export function withdrawCopies(sender: SenderQueues | undefined, request: object, reason: Error): number {
  if (!sender) return 0;
  const gone: _State[] = [];
  const pending = sender._pendingState?._pending;
  for (const [msgId, st] of pending ?? []) {
    if (st.request !== request) continue;
    pending!.delete(msgId);
    gone.push(st);
  }
  const q = sender._sendQueue;
  if (q) {
    q._queue = q._queue.filter((st) => {
      if (st?.request !== request) return true;
      gone.push(st);
      return false;
    });
    // what GramJS adds back to the pending requests when it reconnects
    q._pendingStates = q._pendingStates.filter((st) => st.request !== request);
  }
  if (sender._tgpipeHeld) {
    sender._tgpipeHeld = sender._tgpipeHeld.filter((st) => {
      if (st.request !== request) return true;
      gone.push(st);
      return false;
    });
  }
  const unique = [...new Set(gone)];
  for (const st of unique) st.reject?.(reason);
  return unique.length;
}
