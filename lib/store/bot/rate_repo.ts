import { BOT_KEYS } from "./bot_keys.ts";
import { type BotDb, casUpdate } from "./bot_db.ts";

/** The per-user request times of the rate limiter, persisted so a restart does not reset them. */
export class RateRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /**
   * Reads the user's request times, lets `decide` (a pure function) return the times to keep and
   * its answer, and stores them atomically: two requests at once cannot both take the last slot.
   */
  async take<R>(
    user: string,
    decide: (times: number[], now: number) => { times: number[]; result: R },
  ): Promise<R> {
    const now = this.#db.now();
    return (await casUpdate<number[], R>(this.#db, BOT_KEYS.rate(user), (old) => {
      const d = decide(old ?? [], now);
      return { value: d.times, result: d.result };
    }))!;
  }
}
