import { NotFoundError } from "../../core/errors.ts";
import { BOT_KEYS, timeId } from "./bot_keys.ts";
import { type BotDb, casUpdate } from "./bot_db.ts";
import type {
  BroadcastCounts,
  BroadcastRecord,
  BroadcastStatus,
  DeliveryState,
} from "../../core/bot_records.ts";

const STATES: readonly DeliveryState[] = ["sent", "failed", "blocked"];

/**
 * Broadcasts and their per-user delivery state: a user with a delivery record is never sent the
 * same broadcast again, so a restarted sender continues where it stopped.
 */
export class BroadcastRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Queues a broadcast of a text, or of a file with the text as its caption. */
  async create(input: { text?: string; media_path?: string; by: string }): Promise<BroadcastRecord> {
    if (!input.text?.trim() && !input.media_path) throw new RangeError("A broadcast needs a text or a file");
    const now = this.#db.now();
    const rec: BroadcastRecord = { ...input, id: timeId(now), status: "queued", created_at: now };
    await this.#db.run(() => this.#db.kv.set(BOT_KEYS.broadcast(rec.id), rec));
    return rec;
  }

  /** The broadcast with this id, or undefined. */
  async get(id: string): Promise<BroadcastRecord | undefined> {
    return (await this.#db.run(() => this.#db.kv.get<BroadcastRecord>(BOT_KEYS.broadcast(id)))).value ??
      undefined;
  }

  /** The broadcast with this id; an unknown id is a NotFoundError (exit 2). */
  async require(id: string): Promise<BroadcastRecord> {
    const b = await this.get(id);
    if (!b) throw new NotFoundError(`No broadcast with id ${id}`, "broadcast");
    return b;
  }

  /** Broadcasts newest first. */
  async list(limit = 50): Promise<BroadcastRecord[]> {
    const out: BroadcastRecord[] = [];
    const it = this.#db.kv.list<BroadcastRecord>({ prefix: BOT_KEYS.broadcasts }, { reverse: true, limit });
    for await (const e of it) out.push(e.value);
    return out;
  }

  /** The oldest broadcast still to send (one being sent before one queued), if any. */
  async next(): Promise<BroadcastRecord | undefined> {
    let queued: BroadcastRecord | undefined;
    for await (const e of this.#db.kv.list<BroadcastRecord>({ prefix: BOT_KEYS.broadcasts })) {
      if (e.value.status === "sending") return e.value;
      if (e.value.status === "queued") queued ??= e.value;
    }
    return queued;
  }

  /**
   * Moves a broadcast to `status` (stamping start and finish times) when its current status is
   * one of `from`; returns the record as it is afterwards (unchanged when the move was not allowed,
   * e.g. a cancel that came first).
   */
  async setStatus(
    id: string,
    status: BroadcastStatus,
    from: readonly BroadcastStatus[] = ["queued", "sending", "done", "cancelled"],
  ): Promise<BroadcastRecord> {
    const now = this.#db.now();
    let current: BroadcastRecord | undefined;
    const r = await casUpdate<BroadcastRecord, BroadcastRecord>(this.#db, BOT_KEYS.broadcast(id), (old) => {
      current = old ?? undefined;
      if (!old || !from.includes(old.status)) return undefined;
      const value: BroadcastRecord = { ...old, status };
      if (status === "sending") value.started_at ??= now;
      if (status === "done" || status === "cancelled") value.finished_at = now;
      return { value, result: value };
    });
    if (r) return r;
    if (!current) throw new NotFoundError(`No broadcast with id ${id}`, "broadcast");
    return current;
  }

  /** What happened to `user`'s copy, or undefined when it has not been handled yet. */
  async delivery(id: string, user: string): Promise<DeliveryState | undefined> {
    return (await this.#db.run(() => this.#db.kv.get<DeliveryState>(BOT_KEYS.delivery(id, user)))).value ??
      undefined;
  }

  /** Records one user's outcome once (a second record for the same user is ignored); true if recorded. */
  async recordDelivery(id: string, user: string, state: DeliveryState): Promise<boolean> {
    const key = BOT_KEYS.delivery(id, user);
    const res = await this.#db.run(() =>
      this.#db.kv.atomic()
        .check({ key, versionstamp: null })
        .set(key, state)
        .sum(BOT_KEYS.deliveryCount(id, state), 1n)
        .commit()
    );
    return res.ok;
  }

  /** The delivery counters. */
  async counts(id: string): Promise<BroadcastCounts> {
    const keys = STATES.map((s) => BOT_KEYS.deliveryCount(id, s));
    const es = await this.#db.run(() => this.#db.kv.getMany<Deno.KvU64[]>(keys));
    const n = (i: number) => Number(es[i].value?.value ?? 0n);
    return { sent: n(0), failed: n(1), blocked: n(2) };
  }
}
