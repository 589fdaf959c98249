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
    return (await casUpdate<BotUserRecord, { user: BotUserRecord; created: boolean }>(
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
  }

  /** The user with this id, or undefined. */
  async get(id: string): Promise<BotUserRecord | undefined> {
    return (await this.#db.run(() => this.#db.kv.get<BotUserRecord>(BOT_KEYS.user(id)))).value ?? undefined;
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

  /** Adds one completed download to the user's count. */
  countDownload(id: string): Promise<BotUserRecord> {
    return this.#patch(id, (u) => ({ ...u, download_count: u.download_count + 1 }));
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
      return out;
    }
    for await (const e of this.#db.kv.list<BotUserRecord>({ prefix: BOT_KEYS.users })) {
      if (keep(e.value)) out.push(e.value);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Every user, in id order, from after `after` (for broadcasts). */
  async *all(after?: string): AsyncIterable<BotUserRecord> {
    const selector = after === undefined
      ? { prefix: BOT_KEYS.users }
      : { prefix: BOT_KEYS.users, start: [...BOT_KEYS.user(after), ""] };
    for await (const e of this.#db.kv.list<BotUserRecord>(selector, { batchSize: 200 })) yield e.value;
  }

  async #patch(id: string, fn: (u: BotUserRecord) => BotUserRecord): Promise<BotUserRecord> {
    const r = await casUpdate<BotUserRecord, BotUserRecord>(this.#db, BOT_KEYS.user(id), (old) => {
      if (!old) return undefined;
      const value = fn(old);
      return { value, result: value };
    });
    if (!r) throw new NotFoundError(`No bot user with id ${id}`, "bot_user");
    return r;
  }
}

function _nameIndex(old: BotUserRecord | null, next: BotUserRecord) {
  return (op: Deno.AtomicOperation) => {
    if (old?.username && old.username !== next.username) op.delete(BOT_KEYS.userName(old.username, old.id));
    if (next.username) op.set(BOT_KEYS.userName(next.username, next.id), null);
  };
}
