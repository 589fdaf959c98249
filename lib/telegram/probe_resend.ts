/**
 * After a reconnect, GramJS sends every request still unanswered on the new connection at once.
 * Here one goes first and the rest follow as soon as the connection answers a request (that one,
 * or the users.getMe GramJS sends after each reconnect; about one round trip): a connection
 * that drops again at once then takes one request down instead of the whole backlog, and does not
 * count as a drop "with nothing received" when the backlog was what drew it. Measured in faulted
 * exports (`deno task bench faults`, seed 22): the main connection's backlog of eight pages drew a
 * drop on four new connections in a row, and the reconnect's back-off held every history page for
 * 1.8 s (0 + 250 + 500 + 1000 ms).
 */
import { MTProtoSender } from "telegram/network/index.js";

interface _State {
  msgId?: unknown;
}

/** What this uses of GramJS's MTProtoSender. */
export interface ProbingSender {
  _sendQueue: {
    _pendingStates: _State[];
    prepend(states: _State[]): void;
    extend(states: _State[]): void;
  };
  /** The requests held back after a reconnect until the new connection delivers something. */
  _tgpipeHeld?: _State[];
}

/**
 * Wraps one reconnect (`reconnect`, GramJS's _reconnect bound to `s`): requests it sends again go
 * out one first, the rest are held in `s._tgpipeHeld`. Requests held by an earlier reconnect are
 * sent again with the others: GramJS still lists them (its send queue's pending states keep every
 * request until it is answered), so a second drop loses none.
 */
export async function probeReconnect(s: ProbingSender, reconnect: () => Promise<void>): Promise<void> {
  const q = s._sendQueue;
  s._tgpipeHeld = undefined;
  const prepend = q.prepend;
  q.prepend = (states: _State[]) => {
    q.prepend = prepend;
    const list = [...states];
    if (list.length > 1) s._tgpipeHeld = list.slice(1);
    prepend.call(q, list.slice(0, 1));
  };
  try {
    await reconnect();
  } finally {
    q.prepend = prepend;
  }
}

/** The held requests go out: the new connection answered a request. */
export function releaseHeld(s: ProbingSender): void {
  const held = s._tgpipeHeld;
  if (!held) return;
  s._tgpipeHeld = undefined;
  s._sendQueue.extend(held);
}

let _installed = false;

/** Makes every GramJS sender of this process send again this way. Idempotent. */
export function installProbeResend(): void {
  if (_installed) return;
  _installed = true;
  const proto = MTProtoSender.prototype as unknown as Record<string, unknown>;
  const reconnect = proto._reconnect as (this: ProbingSender) => Promise<void>;
  const handleResult = proto._handleRPCResult as (this: ProbingSender, m: unknown) => Promise<void>;
  proto._reconnect = function (this: ProbingSender) {
    return probeReconnect(this, () => reconnect.call(this));
  };
  // an answer to a request: not Telegram's greeting of the new session or its acknowledgements,
  // which come for any first message, also right before a drop (GramJS binds its handlers when a
  // sender is made: this is installed before any is)
  proto._handleRPCResult = function (this: ProbingSender, m: unknown) {
    releaseHeld(this);
    return handleResult.call(this, m);
  };
}
