import { BOT_KEYS } from "./bot_keys.ts";
import type { BotDb } from "./bot_db.ts";

/** The bot's update state as lib/telegram's update stream keeps it (pts, qts, date, seq, last message). */
export interface StoredUpdateState {
  pts: number;
  qts: number;
  date: number;
  seq: number;
  message_id: number;
}

/**
 * Where the running bot keeps its Telegram update state between runs (so a restart catches up
 * without answering twice) and the access hashes of its users (so it can message them later).
 * Shaped as lib/telegram's BotStateStore.
 */
export class UpdateStateRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** The saved state, or undefined before the first run. */
  async load(): Promise<StoredUpdateState | undefined> {
    const e = await this.#db.run(() => this.#db.kv.get<StoredUpdateState>(BOT_KEYS.updateState));
    return e.value ?? undefined;
  }

  /** Saves the state (after each handled update). */
  async save(state: StoredUpdateState): Promise<void> {
    await this.#db.run(() => this.#db.kv.set(BOT_KEYS.updateState, { ...state }));
  }

  /** Remembers a user's access hash. */
  async savePeer(user_id: string, access_hash: string): Promise<void> {
    await this.#db.run(() => this.#db.kv.set(BOT_KEYS.peer(user_id), access_hash));
  }

  /** A user's access hash, if the bot has seen them. */
  async loadPeer(user_id: string): Promise<string | undefined> {
    const e = await this.#db.run(() => this.#db.kv.get<string>(BOT_KEYS.peer(user_id)));
    return e.value ?? undefined;
  }
}
