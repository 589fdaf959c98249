import { sleep } from "../../core/sleep.ts";

/** Options of the pacer: Telegram's bot limits by default. */
export interface SendPacerOptions {
  /** Messages a second over all chats; default 30. */
  perSecond?: number;
  /** Milliseconds between two messages to one chat; default 1000. */
  perChatMs?: number;
}

/**
 * Spaces sends so the bot stays within Telegram's limits (about 30 messages a second overall,
 * one a second per chat) and holds every send during a FLOOD_WAIT. Sends take their turns one
 * after the other, and each turn is measured from when the previous one actually went, not from
 * when it was planned: a timer that fires late on a busy machine then only widens the gap, where
 * slots planned ahead would bunch up behind it and break the limit.
 */
export class SendPacer {
  #interval: number;
  #perChat: number;
  #lastAny = -Infinity;
  #pausedUntil = 0;
  #lastChat = new Map<string, number>();
  #turns: Promise<void> = Promise.resolve();

  constructor(opts: SendPacerOptions = {}) {
    // Rounded up so that no window of one second ever holds more than perSecond sends.
    this.#interval = Math.ceil(1000 / (opts.perSecond ?? 30));
    this.#perChat = opts.perChatMs ?? 1000;
  }

  /** Waits for the next slot of `chat` (rejects when `signal` aborts); the send follows at once. */
  slot(chat: string, signal: AbortSignal): Promise<void> {
    const turn = this.#turns.then(() => this.#wait(chat, signal));
    this.#turns = turn.catch(() => {});
    return turn;
  }

  async #wait(chat: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const now = Date.now();
      if (this.#lastChat.size > 10_000) this.#prune(now);
      const at = Math.max(
        this.#lastAny + this.#interval,
        this.#pausedUntil,
        (this.#lastChat.get(chat) ?? -Infinity) + this.#perChat,
      );
      // re-checked after the sleep: a flood wait may have begun meanwhile, and timers may fire early
      if (at > now) {
        await sleep(at - now, signal);
        continue;
      }
      this.#lastAny = now;
      this.#lastChat.set(chat, now);
      return;
    }
  }

  #prune(now: number): void {
    for (const [chat, at] of this.#lastChat) if (at + this.#perChat <= now) this.#lastChat.delete(chat);
  }

  /** Holds every send for `ms` (a FLOOD_WAIT). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }
}
