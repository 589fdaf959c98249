import type { BotUser } from "../../core/bot_types.ts";
import { NotFoundError } from "../../core/errors.ts";
import { BOT_KEYS } from "./bot_keys.ts";
import { type BotDb, casUpdate, getValues } from "./bot_db.ts";
import type { BotUserRecord } from "../../core/bot_records.ts";

/** A page of users. */
export interface UserQuery {
  /** A user id, or a username prefix (with or without "@"). */
  search?: string;
  banned?: boolean;
  premium?: boolean;
  limit?: number;
}

/** Users of the bot: recorded on first contact, updated on each, banned and made premium by admins. */
export class UserRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Records a contact: creates the user on the first one, refreshes names and last_seen after. */
  async seen(user: BotUser): Promise<{ user: BotUserRecord; created: boolean }> {
    const now = this.#db.now();
    const r = (await casUpdate<BotUserRecord, { user: BotUserRecord; created: boolean }>(
      this.#db,
      BOT_KEYS.user(user.id),
      (old) => {
        const value: BotUserRecord = {
          download_count: 0,
          premium: user.premium ?? false,
          banned: false,
          blocked_bot: false,
          first_seen: now,
          ...old,
          id: user.id,
          username: user.username,
          first_name: user.first_name,
          last_name: user.last_name,
          last_seen: now,
        };
        // Premium granted by an admin stays; Telegram Premium also counts.
        if (user.premium) value.premium = true;
        // Talking to the bot again means it is no longer blocked.
        value.blocked_bot = false;
        return { value, result: { user: value, created: !old }, extra: _nameIndex(old, value) };
      },
    ))!;
    return { user: (await this.#withCounts([r.user]))[0], created: r.created };
  }

  /** How many users the bot has seen. */
  async count(): Promise<number> {
    let n = 0;
    for await (const _ of this.#db.kv.list({ prefix: BOT_KEYS.users })) n++;
    return n;
  }

  /** The user with this id, or undefined. */
  async get(id: string): Promise<BotUserRecord | undefined> {
    const u = (await this.#db.run(() => this.#db.kv.get<BotUserRecord>(BOT_KEYS.user(id)))).value;
    return u ? (await this.#withCounts([u]))[0] : undefined;
  }

  /** The user with this id; an unknown id is a NotFoundError (exit 2). */
  async require(id: string): Promise<BotUserRecord> {
    const u = await this.get(id);
    if (!u) throw new NotFoundError(`No bot user with id ${id}`, "bot_user");
    return u;
  }

  /** Bans or unbans a user (an unban forgets the ban notice, so a new ban notifies again). */
  setBanned(id: string, banned: boolean): Promise<BotUserRecord> {
    return this.#patch(id, (u) => ({ ...u, banned, ban_notice_at: banned ? u.ban_notice_at : undefined }));
  }

  /** Grants or withdraws premium. */
  setPremium(id: string, premium: boolean): Promise<BotUserRecord> {
    return this.#patch(id, (u) => ({ ...u, premium }));
  }

  /** Marks that the user blocked the bot (a broadcast got USER_IS_BLOCKED). */
  markBlocked(id: string): Promise<BotUserRecord> {
    return this.#patch(id, (u) => ({ ...u, blocked_bot: true }));
  }

  /** Records the ban notice; true only for the call that recorded it (so it is sent once). */
  async claimBanNotice(id: string): Promise<boolean> {
    const now = this.#db.now();
    const r = await casUpdate<BotUserRecord, true>(this.#db, BOT_KEYS.user(id), (old) => {
      if (!old || !old.banned || old.ban_notice_at !== undefined) return undefined;
      return { value: { ...old, ban_notice_at: now }, result: true };
    });
    return r === true;
  }

  /** Users in id order, or those whose username starts with the search (or whose id is it). */
  async list(q: UserQuery = {}): Promise<BotUserRecord[]> {
    const limit = q.limit ?? 100;
    const keep = (u: BotUserRecord) =>
      (q.banned === undefined || u.banned === q.banned) &&
      (q.premium === undefined || u.premium === q.premium);
    const search = q.search?.trim().replace(/^@/, "").toLowerCase();
    const out: BotUserRecord[] = [];
    if (search) {
      const exact = /^\d+$/.test(search) ? await this.get(search) : undefined;
      if (exact && keep(exact)) out.push(exact);
      const ids: string[] = [];
      const it = this.#db.kv.list({
        start: [...BOT_KEYS.userNames, search],
        end: [...BOT_KEYS.userNames, search + "\uffff"],
      });
      for await (const e of it) ids.push(e.key[3] as string);
      const users = await getValues<BotUserRecord>(this.#db, ids.map((id) => BOT_KEYS.user(id)));
      for (const u of users) if (u && keep(u) && u.id !== exact?.id && out.length < limit) out.push(u);
      return await this.#withCounts(out);
    }
    for await (const e of this.#db.kv.list<BotUserRecord>({ prefix: BOT_KEYS.users })) {
      if (keep(e.value)) out.push(e.value);
      if (out.length >= limit) break;
    }
    return await this.#withCounts(out);
  }

  /** Every user, in id order, from after `after` (for broadcasts). */
  async *all(after?: string): AsyncIterable<BotUserRecord> {
    const selector = after === undefined
      ? { prefix: BOT_KEYS.users }
      : { prefix: BOT_KEYS.users, start: [...BOT_KEYS.user(after), ""] };
    let batch: BotUserRecord[] = [];
    for await (const e of this.#db.kv.list<BotUserRecord>(selector, { batchSize: 200 })) {
      batch.push(e.value);
      if (batch.length < 50) continue;
      yield* await this.#withCounts(batch);
      batch = [];
    }
    yield* await this.#withCounts(batch);
  }

  /** Fills download_count from its counter (DownloadRepo adds to it when a download completes). */
  async #withCounts(users: BotUserRecord[]): Promise<BotUserRecord[]> {
    const counts = await getValues<Deno.KvU64>(this.#db, users.map((u) => BOT_KEYS.downloadCount(u.id)));
    return users.map((u, i) => ({ ...u, download_count: Number(counts[i]?.value ?? 0n) }));
  }

  async #patch(id: string, fn: (u: BotUserRecord) => BotUserRecord): Promise<BotUserRecord> {
    const r = await casUpdate<BotUserRecord, BotUserRecord>(this.#db, BOT_KEYS.user(id), (old) => {
      if (!old) return undefined;
      const value = fn(old);
      return { value, result: value };
    });
    if (!r) throw new NotFoundError(`No bot user with id ${id}`, "bot_user");
    return (await this.#withCounts([r]))[0];
  }
}

function _nameIndex(old: BotUserRecord | null, next: BotUserRecord) {
  return (op: Deno.AtomicOperation) => {
    if (old?.username && old.username !== next.username) op.delete(BOT_KEYS.userName(old.username, old.id));
    if (next.username) op.set(BOT_KEYS.userName(next.username, next.id), null);
  };
}
