/**
 * A strict in-memory BotApi for broadcast tests: it stands in for Telegram and enforces its bot
 * limits the way Telegram does, by refusing: more than 30 messages in any second overall, or a
 * second message to one chat within a second, is answered FLOOD_WAIT (and counted as a violation,
 * which tests assert is zero); a send during a FLOOD_WAIT it gave is refused again (a violation
 * too); users in `blocked` get USER_IS_BLOCKED; `floodOnSend` injects a FLOOD_WAIT on the n-th send.
 */
import type { BotApi, BotFile, BotUpdate, BotUser } from "../../../lib/core/bot_types.ts";
import { FloodWaitError, TelegramError } from "../../../lib/core/errors.ts";

// Timers may fire a millisecond or two before Date.now() says the time has come.
const TIMER_SLACK_MS = 3;

/** One message the fake accepted. */
export interface SentMessage {
  chat: string;
  text?: string;
  file?: BotFile;
  at: number;
}

/** A BotApi whose sends are checked against Telegram's bot limits. */
export class StrictBotApi implements BotApi {
  readonly me: BotUser = { id: "999000", username: "tgpipe_test_bot", first_name: "Test bot" };
  readonly sent: SentMessage[] = [];
  readonly violations: string[] = [];
  readonly blocked = new Set<string>();
  /** 1-based send attempts that get a FLOOD_WAIT of the given seconds. */
  readonly floodOnSend = new Map<number, number>();
  /** Called after each accepted message (tests stop the sender from here). */
  onSent?: (m: SentMessage) => void;
  #attempts = 0;
  #floodUntil = 0;
  #lastByChat = new Map<string, number>();
  #perSecond: number;

  constructor(opts: { perSecond?: number } = {}) {
    this.#perSecond = opts.perSecond ?? 30;
  }

  /** Broadcast tests get no updates: the iterable ends when `signal` aborts. */
  async *updates(signal: AbortSignal): AsyncIterable<BotUpdate> {
    const none: BotUpdate[] = [];
    await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
    yield* none;
  }

  sendText(chat_id: string, text: string): Promise<number> {
    return Promise.resolve(this.#accept({ chat: chat_id, text, at: Date.now() }));
  }

  sendFile(chat_id: string, file: BotFile): Promise<number> {
    return Promise.resolve(this.#accept({ chat: chat_id, file, at: Date.now() }));
  }

  editText(): Promise<void> {
    return Promise.reject(new Error("editText is not used by broadcasts"));
  }

  answerCallback(): Promise<void> {
    return Promise.reject(new Error("answerCallback is not used by broadcasts"));
  }

  downloadMedia(): Promise<void> {
    return Promise.reject(new Error("downloadMedia is not used by broadcasts"));
  }

  /** Messages each chat got. */
  countByChat(): Map<string, number> {
    const m = new Map<string, number>();
    for (const s of this.sent) m.set(s.chat, (m.get(s.chat) ?? 0) + 1);
    return m;
  }

  #accept(m: SentMessage): number {
    const n = ++this.#attempts;
    const now = m.at;
    if (now + TIMER_SLACK_MS < this.#floodUntil) {
      this.violations.push(`send #${n} to ${m.chat} during a FLOOD_WAIT`);
      throw new FloodWaitError(Math.ceil((this.#floodUntil - now) / 1000));
    }
    const injected = this.floodOnSend.get(n);
    if (injected !== undefined) return this.#flood(now, injected);
    const last = this.#lastByChat.get(m.chat);
    if (last !== undefined && now - last + TIMER_SLACK_MS < 1000) {
      this.violations.push(`send #${n}: two messages to ${m.chat} within ${now - last} ms`);
      return this.#flood(now, 1);
    }
    const inSecond = this.sent.filter((s) => s.at > now - 1000 + TIMER_SLACK_MS).length;
    if (inSecond >= this.#perSecond) {
      this.violations.push(`send #${n}: ${inSecond + 1} messages within one second`);
      return this.#flood(now, 1);
    }
    if (this.blocked.has(m.chat)) throw new TelegramError(403, "USER_IS_BLOCKED", "messages.sendMessage");
    this.#lastByChat.set(m.chat, now);
    this.sent.push(m);
    this.onSent?.(m);
    return this.sent.length;
  }

  #flood(now: number, seconds: number): never {
    this.#floodUntil = Math.max(this.#floodUntil, now + seconds * 1000);
    throw new FloodWaitError(seconds, "messages.sendMessage");
  }
}
