import { BOT_KEYS, timeId } from "./bot_keys.ts";
import type { BotDb } from "./bot_db.ts";
import type { RecognitionRecord } from "../../core/bot_records.ts";

/** The log of music-recognition attempts, newest first. */
export class RecognitionRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Logs one attempt (a match, no match, or an error). */
  async log(input: Omit<RecognitionRecord, "id" | "at">): Promise<RecognitionRecord> {
    const at = this.#db.now();
    const rec: RecognitionRecord = { ...input, id: timeId(at), at };
    await this.#db.run(() => this.#db.kv.set(BOT_KEYS.recognition(rec.id), rec));
    return rec;
  }

  /** The latest attempts, newest first, optionally of one user. */
  async list(q: { user_id?: string; limit?: number } = {}): Promise<RecognitionRecord[]> {
    const out: RecognitionRecord[] = [];
    const limit = q.limit ?? 100;
    const it = this.#db.kv.list<RecognitionRecord>({ prefix: BOT_KEYS.recognitions }, { reverse: true });
    for await (const e of it) {
      if (!q.user_id || e.value.user_id === q.user_id) out.push(e.value);
      if (out.length >= limit) break;
    }
    return out;
  }
}
