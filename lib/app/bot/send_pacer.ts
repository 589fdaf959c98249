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
 * one a second per chat) and holds every send during a FLOOD_WAIT. Slots are reserved in order,
 * so several sends in flight still keep the spacing.
 */
export class SendPacer {
  #interval: number;
  #perChat: number;
  #nextAny = 0;
  #pausedUntil = 0;
  #nextChat = new Map<string, number>();

  constructor(opts: SendPacerOptions = {}) {
    // Rounded up so that no window of one second ever holds more than perSecond sends.
    this.#interval = Math.ceil(1000 / (opts.perSecond ?? 30));
    this.#perChat = opts.perChatMs ?? 1000;
  }

  /** Waits for the next slot of `chat` (rejects when `signal` aborts). */
  async slot(chat: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (this.#nextChat.size > 10_000) this.#prune(now);
      const at = Math.max(now, this.#nextAny, this.#pausedUntil, this.#nextChat.get(chat) ?? 0);
      this.#nextAny = at + this.#interval;
      this.#nextChat.set(chat, at + this.#perChat);
      if (at > now) await sleep(at - now, signal);
      // A flood wait that began while this send slept moves it behind the pause.
      if (Date.now() >= this.#pausedUntil) return;
    }
  }

  #prune(now: number): void {
    for (const [chat, at] of this.#nextChat) if (at <= now) this.#nextChat.delete(chat);
  }

  /** Holds every send for `ms` (a FLOOD_WAIT). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }
}
