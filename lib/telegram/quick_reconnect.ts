/**
 * A dropped connection is opened again at once, not a second later. GramJS's sender waits a fixed
 * second before every reconnect; on the main connection, which carries every history page of an
 * export, each drop then held the whole fetch for a second, and the requests it resent drew the
 * next drop about as often (measured: three drops in a row cost the writer 3 s in a faulted export
 * of `deno task bench faults`). The wait is kept for drops that follow one another with nothing
 * received in between (a server in trouble is not hammered): it doubles from 250 ms up to GramJS's
 * second.
 */
import { MTProtoSender } from "telegram/network/index.js";

/** What the patched reconnect uses of GramJS's MTProtoSender. */
export interface ReconnectingSender {
  _userConnected: boolean;
  isReconnecting: boolean;
  /** Reconnects since the last message received (GramJS zeroes it on each one). */
  _currentRetries: number;
  _isMainSender: boolean;
  _exportedSenderPromises?: Map<number, Promise<{ _isMainSender?: boolean; reconnect(): void } | undefined>>;
  _reconnect(): Promise<void>;
}

/** GramJS's own wait before a reconnect, ms: the longest this one waits. */
const MAX_DELAY_MS = 1000;

/** How long to wait before reconnect number `consecutive` (1 = the first since something was received), ms. */
export function reconnectDelayMs(consecutive: number): number {
  return consecutive <= 1 ? 0 : Math.min(MAX_DELAY_MS, 125 * 2 ** (consecutive - 1));
}

/**
 * GramJS's MTProtoSender.reconnect with {@link reconnectDelayMs} instead of its fixed second;
 * `schedule` runs the reconnect after the delay (tests pass their own).
 */
export function quickReconnect(
  sender: ReconnectingSender,
  schedule: (fn: () => void, ms: number) => unknown = setTimeout,
): void {
  if (!sender._userConnected || sender.isReconnecting) return;
  sender.isReconnecting = true;
  sender._currentRetries++;
  if (sender._isMainSender) {
    // as GramJS: the other DCs' senders it lent reconnect with the main one
    for (const p of sender._exportedSenderPromises?.values() ?? []) {
      p.then((s) => s && !s._isMainSender && s.reconnect(), () => {});
    }
  }
  schedule(() => void sender._reconnect().catch(() => {}), reconnectDelayMs(sender._currentRetries));
}

let _installed = false;

/** Makes every GramJS sender of this process reconnect this way. Idempotent. */
export function installQuickReconnect(): void {
  if (_installed) return;
  _installed = true;
  const proto = MTProtoSender.prototype as unknown as Record<string, unknown>;
  proto.reconnect = function (this: ReconnectingSender) {
    quickReconnect(this);
  };
}
