import type { BotApi } from "../../core/bot_types.ts";
import type { Emit } from "../../progress/events.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import type { BotUserRecord, BroadcastCounts, BroadcastRecord } from "../../core/bot_records.ts";
import { classifySendError } from "./send_error.ts";
import { SendPacer, type SendPacerOptions } from "./send_pacer.ts";

/** Options of `sendBroadcast`. */
export interface SendBroadcastOptions extends SendPacerOptions {
  /** Stops sending; what was delivered stays recorded, and the next run continues from there. */
  signal: AbortSignal;
  emit?: Emit;
  /** Sends in flight at once (latency hiding; the pacer still spaces them). Default 8. */
  concurrency?: number;
  /** Shared between broadcasts of one run so per-chat spacing holds across them. */
  pacer?: SendPacer;
  /** Minimum milliseconds between two progress events. Default 500. */
  progressEveryMs?: number;
}

/** The final count of one broadcast. */
export interface BroadcastReport extends BroadcastCounts {
  broadcast: string;
  total: number;
}

/**
 * Sends broadcast `id` to every non-banned user who has not had it yet, within Telegram's bot
 * limits, waiting out FLOOD_WAITs, recording users who blocked the bot; each user's outcome is
 * recorded as it happens, so a restart after a crash or abort continues where it stopped.
 */
export async function sendBroadcast(
  api: BotApi,
  store: BotStore,
  id: string,
  opts: SendBroadcastOptions,
): Promise<BroadcastReport> {
  const total = await _countRecipients(store);
  const pacer = opts.pacer ?? new SendPacer(opts);
  const progress = _progress(store, id, total, opts);
  // Done and cancelled broadcasts stay as they are (a cancel may have come first).
  const bc = await store.broadcasts.setStatus(id, "sending", ["queued", "sending"]);
  if (bc.status !== "sending") return (await progress(true))!;
  const inflight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  let launched = 0;
  for await (const user of store.users.all()) {
    if (failure || opts.signal.aborted) break;
    // An admin's cancel is seen within a few dozen messages.
    if (++launched % 25 === 0 && (await store.broadcasts.get(id))?.status === "cancelled") break;
    if (user.banned || await store.broadcasts.delivery(bc.id, user.id)) continue;
    const task = _deliver(api, store, bc, user, { ...opts, pacer })
      .then(async () => void await progress(false), (err) => void (failure ??= { err }))
      .finally(() => inflight.delete(task));
    inflight.add(task);
    if (inflight.size >= (opts.concurrency ?? 8)) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  if (failure) throw failure.err;
  opts.signal.throwIfAborted();
  await store.broadcasts.setStatus(bc.id, "done", ["sending"]);
  return (await progress(true))!;
}

/** Sends every queued broadcast, oldest first (and one left half-sent by a crash before them). */
export async function sendQueuedBroadcasts(
  api: BotApi,
  store: BotStore,
  opts: SendBroadcastOptions,
): Promise<BroadcastReport[]> {
  const pacer = opts.pacer ?? new SendPacer(opts);
  const out: BroadcastReport[] = [];
  for (let bc = await store.broadcasts.next(); bc; bc = await store.broadcasts.next()) {
    out.push(await sendBroadcast(api, store, bc.id, { ...opts, pacer }));
  }
  return out;
}

async function _deliver(
  api: BotApi,
  store: BotStore,
  bc: BroadcastRecord,
  user: BotUserRecord,
  opts: SendBroadcastOptions & { pacer: SendPacer },
): Promise<void> {
  // Known to have blocked the bot (and not talked to it since): sending would only fail again.
  if (user.blocked_bot) return void await store.broadcasts.recordDelivery(bc.id, user.id, "blocked");
  for (;;) {
    await opts.pacer.slot(user.id, opts.signal);
    try {
      if (bc.media_path) {
        await api.sendFile(user.id, { path: bc.media_path, caption: bc.text, as: "media" }, opts.signal);
      } else await api.sendText(user.id, bc.text ?? "");
      await store.broadcasts.recordDelivery(bc.id, user.id, "sent");
      return;
    } catch (err) {
      const f = classifySendError(err);
      if (f.kind === "fatal" || opts.signal.aborted) throw err;
      if (f.kind === "flood") {
        opts.pacer.pause(f.seconds * 1000);
        opts.emit?.({ type: "pause", reason: "flood_wait", seconds: f.seconds, method: "broadcast" });
        continue;
      }
      await store.broadcasts.recordDelivery(bc.id, user.id, f.kind);
      if (f.kind === "blocked") await store.users.markBlocked(user.id);
      return;
    }
  }
}

async function _countRecipients(store: BotStore): Promise<number> {
  let n = 0;
  for await (const u of store.users.all()) if (!u.banned) n++;
  return n;
}

function _progress(store: BotStore, id: string, total: number, opts: SendBroadcastOptions) {
  let last = 0;
  return async (done: boolean): Promise<BroadcastReport | undefined> => {
    const now = Date.now();
    if (!done && now - last < (opts.progressEveryMs ?? 500)) return undefined;
    last = now;
    const counts = await store.broadcasts.counts(id);
    opts.emit?.({ type: "broadcast_progress", broadcast: id, ...counts, total, done });
    return { broadcast: id, total, ...counts };
  };
}
