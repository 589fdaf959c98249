import type { TgpipeEvent } from "./events.ts";

/** A (time, cumulative bytes) point; speeds are moving averages over these. */
export interface SpeedSample {
  t: number;
  bytes: number;
}

/** One item in flight, as its bar shows it. */
export interface ItemBar {
  id: string;
  name: string;
  total?: number;
  done: number;
  samples: SpeedSample[];
  /** Things done besides bytes (export: messages), with their own speed samples. */
  count?: { done: number; total?: number; unit: string; samples: SpeedSample[] };
}

/** A pause with a deadline (flood wait, rate limit, ...), shown as a live countdown. */
export interface PauseBar {
  reason: string;
  account?: string;
  method?: string;
  /** When the pause is expected to end, in ms since the epoch. */
  until: number;
}

/** Everything the bars show, built from events by applyBarEvent() and drawn by renderBars(). */
export interface BarState {
  command?: string;
  totalItems?: number;
  totalBytes?: number;
  itemsDone: number;
  itemsFailed: number;
  itemsSkipped: number;
  /** Bytes of items that finished; bytes in flight are in `items`. */
  finishedBytes: number;
  /** Items in flight, in start order. */
  items: Map<string, ItemBar>;
  /** Pauses keyed by account (or reason when no account). */
  pauses: Map<string, PauseBar>;
  samples: SpeedSample[];
  /** Set by `done` and `error`: nothing more to draw. */
  finished: boolean;
}

/** Speeds average over this window; long enough to smooth bursty parts, short enough to react. */
export const SPEED_WINDOW_MS = 5_000;
// Samples closer together than this are merged, which bounds memory at ~50 per window.
const SAMPLE_SPACING_MS = 100;

/** An empty state for a new run. */
export function newBarState(): BarState {
  return {
    itemsDone: 0,
    itemsFailed: 0,
    itemsSkipped: 0,
    finishedBytes: 0,
    items: new Map(),
    pauses: new Map(),
    samples: [],
    finished: false,
  };
}

/** Folds one event into the state at time `now` (ms); the state is updated in place. */
export function applyBarEvent(state: BarState, e: TgpipeEvent, now: number): void {
  switch (e.type) {
    case "start":
      state.command = e.command;
      state.totalItems = e.total_items;
      state.totalBytes = e.total_bytes;
      _sample(state.samples, now, doneBytes(state));
      break;
    case "item_start":
      state.items.set(e.item, {
        id: e.item,
        name: e.name,
        total: e.total_bytes,
        done: 0,
        samples: [{ t: now, bytes: 0 }],
      });
      break;
    case "item_progress": {
      const bar = state.items.get(e.item);
      if (!bar) break;
      bar.done = e.done_bytes;
      if (e.total_bytes !== undefined) bar.total = e.total_bytes;
      _sample(bar.samples, now, bar.done);
      if (e.done_count !== undefined) {
        bar.count ??= { done: 0, unit: e.unit ?? "items", samples: [{ t: now, bytes: 0 }] };
        bar.count.done = e.done_count;
        if (e.total_count !== undefined) bar.count.total = e.total_count;
        _sample(bar.count.samples, now, e.done_count);
      }
      _sample(state.samples, now, doneBytes(state));
      break;
    }
    case "item_done": {
      const bar = state.items.get(e.item);
      state.items.delete(e.item);
      if (e.skipped) state.itemsSkipped++;
      else state.itemsDone++;
      state.finishedBytes += e.bytes ?? bar?.done ?? 0;
      _sample(state.samples, now, doneBytes(state));
      break;
    }
    case "item_failed":
      state.itemsFailed++;
      state.items.delete(e.item);
      break;
    case "pause":
      state.pauses.set(e.account ?? e.reason, {
        reason: e.reason,
        account: e.account,
        method: e.method,
        until: now + e.seconds * 1000,
      });
      break;
    case "resume":
      if (e.account !== undefined) state.pauses.delete(e.account);
      else for (const [k, p] of state.pauses) if (p.reason === e.reason) state.pauses.delete(k);
      break;
    case "done":
    case "error":
      state.finished = true;
      break;
    default:
      break;
  }
  for (const [k, p] of state.pauses) if (p.until <= now) state.pauses.delete(k);
}

/** Bytes done so far: finished items plus the parts of items in flight. */
export function doneBytes(state: BarState): number {
  let n = state.finishedBytes;
  for (const bar of state.items.values()) n += bar.done;
  return n;
}

/**
 * Bytes per second over the last SPEED_WINDOW_MS before `now`, or undefined with too little
 * history. Measured up to `now`, not the last sample, so a stalled transfer slows to zero.
 */
export function movingSpeed(samples: readonly SpeedSample[], now: number): number | undefined {
  if (samples.length === 0) return undefined;
  let base = samples[0];
  for (const s of samples) {
    if (s.t <= now - SPEED_WINDOW_MS) base = s;
    else break;
  }
  const last = samples[samples.length - 1];
  const dt = (now - base.t) / 1000;
  if (dt < 0.5) return undefined;
  return Math.max(0, last.bytes - base.bytes) / dt;
}

function _sample(samples: SpeedSample[], now: number, bytes: number): void {
  // Within SAMPLE_SPACING_MS of the newest sample, only its bytes move on: kept samples stay
  // that far apart however often progress arrives (the time error is at most 2% of the window).
  const last = samples[samples.length - 1];
  if (last && now - last.t < SAMPLE_SPACING_MS) last.bytes = bytes;
  else samples.push({ t: now, bytes });
  // Keep one sample at or before the window start as the baseline.
  while (samples.length > 2 && samples[1].t <= now - SPEED_WINDOW_MS) samples.shift();
}
