/**
 * A user client's update state, kept as a real Telegram client keeps it (core.telegram.org/api/updates):
 * each update with a pts is applied once, in order; a pushed update already seen (pts at or below
 * the client's) is dropped; a gap, a reconnection (GramJS opens a new MTProto session, which
 * Telegram and the fake DC only push to once it makes a call) or a wait that sees nothing makes the
 * client ask updates.getDifference and deliver what it missed. Counts what came which way, so a
 * test can tell a push the client lost from one that never happened.
 */
import { Api } from "telegram";
import { UpdateConnectionState } from "telegram/network/index.js";

type Client = {
  invoke<R>(req: Api.AnyRequest & { __response?: R }): Promise<unknown>;
  _sender?: unknown;
};

/** How long a gap may stay open before getDifference (Telegram's advice: about half a second). */
const GAP_WAIT_MS = 500;

/** What the sync saw. */
export interface SyncStats {
  /** Updates applied from pushes. */
  pushed: number;
  /** Updates that only getDifference delivered (a push the client never got, or got too late). */
  recovered: number;
  /** Pushed updates dropped as already applied. */
  duplicates: number;
  /** getDifference calls, and why. */
  differences: { gap: number; reconnect: number; idle: number };
  /** Reconnections (GramJS reports "connected" after every ping; a new MTProto session is a reconnection). */
  reconnects: number;
}

/** The pts state of one user client; feed it every update, pushed or returned by a call. */
export class UserSync {
  readonly stats: SyncStats = {
    pushed: 0,
    recovered: 0,
    duplicates: 0,
    differences: { gap: 0, reconnect: 0, idle: 0 },
    reconnects: 0,
  };
  #pts = 0;
  #held: Api.TypeUpdate[] = [];
  #gapTimer?: ReturnType<typeof setTimeout>;
  #syncing?: Promise<void>;
  #closed = false;
  #session?: string;
  #own = new WeakSet<Api.TypeUpdate>();

  constructor(readonly client: Client, readonly deliver: (u: Api.TypeUpdate) => void) {}

  /** Reads the starting state (updates.getState). */
  async start(): Promise<void> {
    const s = await this.client.invoke(new Api.updates.GetState()) as Api.updates.State;
    this.#pts = s.pts;
    this.#session = this.#sessionId();
  }

  // GramJS's current MTProto session id (a new one on every reconnection)
  #sessionId(): string | undefined {
    return (this.client._sender as { _state?: { id?: { toString(): string } } })?._state?.id?.toString();
  }

  /** Stops timers; nothing is delivered after. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#gapTimer);
  }

  /** An update pushed by the server or found in a call's answer. */
  onUpdate(u: Api.TypeUpdate | UpdateConnectionState): void {
    if (this.#closed) return;
    if (u instanceof UpdateConnectionState) {
      const session = this.#sessionId();
      if (u.state !== UpdateConnectionState.connected || session === this.#session) return;
      this.#session = session;
      this.stats.reconnects++;
      void this.catchUp("reconnect");
      return;
    }
    const { pts, ptsCount } = u as { pts?: number; ptsCount?: number };
    if (typeof pts !== "number" || !ptsCount) return this.deliver(u);
    this.#held.push(u);
    this.#apply();
  }

  /**
   * Feeds the updates of a call's answer (GramJS does not dispatch them): they move the pts (the
   * user's own message) but are not delivered, as they are not something the user received.
   */
  onResult(r: unknown): void {
    if (!(r instanceof Api.Updates || r instanceof Api.UpdatesCombined) || this.#closed) return;
    for (const u of r.updates) {
      if (typeof (u as { pts?: number }).pts !== "number") continue;
      this.#own.add(u);
      this.#held.push(u);
    }
    this.#apply();
  }

  /** Asks getDifference until the state is current and delivers what was missed. */
  catchUp(why: keyof SyncStats["differences"]): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#syncing ??= this.#difference(why).finally(() => {
      this.#syncing = undefined;
      this.#apply();
    });
    return this.#syncing;
  }

  // Applies held updates in pts order while they follow on; a hole waits GAP_WAIT_MS, then getDifference.
  #apply(): void {
    if (this.#syncing) return;
    this.#held.sort((a, b) => _pts(a) - _pts(b));
    while (this.#held.length > 0) {
      const u = this.#held[0];
      const { pts, ptsCount } = u as unknown as { pts: number; ptsCount: number };
      if (pts <= this.#pts) {
        if (!this.#own.has(u)) this.stats.duplicates++;
      } else if (pts - ptsCount === this.#pts) {
        this.#pts = pts;
        if (!this.#own.has(u)) {
          this.stats.pushed++;
          this.deliver(u);
        }
      } else break;
      this.#held.shift();
    }
    clearTimeout(this.#gapTimer);
    if (this.#held.length > 0) this.#gapTimer = setTimeout(() => void this.catchUp("gap"), GAP_WAIT_MS);
  }

  async #difference(why: keyof SyncStats["differences"]): Promise<void> {
    this.stats.differences[why]++;
    for (;;) {
      const d = await this.client.invoke(
        new Api.updates.GetDifference({ pts: this.#pts, date: Math.floor(Date.now() / 1000), qts: 0 }),
      );
      if (this.#closed || d instanceof Api.updates.DifferenceEmpty) return;
      if (d instanceof Api.updates.DifferenceTooLong) {
        this.#pts = d.pts;
        return;
      }
      const got = d as Api.updates.Difference | Api.updates.DifferenceSlice;
      // the user's own messages are not something it received
      for (const message of got.newMessages.filter((m) => !(m as Api.Message).out)) {
        this.stats.recovered++;
        this.deliver(new Api.UpdateNewMessage({ message, pts: 0, ptsCount: 0 }));
      }
      for (const u of got.otherUpdates) {
        this.stats.recovered++;
        this.deliver(u);
      }
      const state = got instanceof Api.updates.DifferenceSlice ? got.intermediateState : got.state;
      this.#pts = state.pts;
      if (got instanceof Api.updates.Difference) return;
    }
  }
}

function _pts(u: Api.TypeUpdate): number {
  return (u as unknown as { pts: number }).pts;
}
