/**
 * Broadcasts while the bot runs: queued ones (from `tgpipe bot broadcast` or the admin page) are
 * sent in the background, one half-sent before a restart first; the store is looked at again
 * every few seconds until the bot stops.
 */
import type { BotApi } from "../../core/bot_types.ts";
import type { Emit } from "../../progress/events.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import { sendQueuedBroadcasts } from "./broadcast_sender.ts";
import { SendPacer } from "./send_pacer.ts";

/** Sends queued broadcasts until `signal` aborts; a failed round is a warning and tried again. */
export async function broadcastLoop(
  api: BotApi,
  store: BotStore,
  opts: { signal: AbortSignal; emit: Emit; pollMs?: number },
): Promise<void> {
  const pacer = new SendPacer({});
  while (!opts.signal.aborted) {
    try {
      await sendQueuedBroadcasts(api, store, { signal: opts.signal, emit: opts.emit, pacer });
    } catch (err) {
      if (opts.signal.aborted) return;
      opts.emit({
        type: "warning",
        code: "BROADCAST_FAILED",
        message: (err as Error).message ?? String(err),
      });
    }
    await _sleep(opts.pollMs ?? 3000, opts.signal);
  }
}

function _sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
