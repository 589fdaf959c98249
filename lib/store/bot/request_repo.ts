import { BOT_KEYS } from "./bot_keys.ts";
import type { BotDb } from "./bot_db.ts";

/** A link the bot showed a quality keyboard for, waiting for the press. */
export interface PendingRequest {
  user_id: string;
  url: string;
  platform: string;
  title: string;
  /** The caption link: the video's own page, else the link as sent. */
  source_url: string;
}

/** Pending requests expire after a day: a press on an older keyboard says it expired. */
const REQUEST_TTL_MS = 24 * 3_600_000;

/** Pending requests keyed by the chat and the message their keyboard is on. */
export class RequestRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Records the request shown in message `message_id` of `chat_id`. */
  async put(chat_id: string, message_id: number, req: PendingRequest): Promise<void> {
    await this.#db.run(() =>
      this.#db.kv.set(BOT_KEYS.request(chat_id, message_id), req, { expireIn: REQUEST_TTL_MS })
    );
  }

  /**
   * Takes the request (it is gone afterwards): only the first press of a keyboard gets it, also
   * when two presses race or the bot restarts between them.
   */
  async claim(chat_id: string, message_id: number): Promise<PendingRequest | undefined> {
    const key = BOT_KEYS.request(chat_id, message_id);
    for (;;) {
      const e = await this.#db.run(() => this.#db.kv.get<PendingRequest>(key));
      if (!e.value) return undefined;
      const r = await this.#db.run(() => this.#db.kv.atomic().check(e).delete(key).commit());
      if (r.ok) return e.value;
    }
  }
}
