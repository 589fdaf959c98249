import { BOT_KEYS } from "./bot_keys.ts";
import type { BotDb } from "./bot_db.ts";
import { toHex } from "../../core/to_hex.ts";

/** An admin page session. */
export interface AdminSession {
  /** The per-session token every form carries (CSRF protection). */
  csrf: string;
  expires_at: number;
}

/** A session just opened by a login: the cookie value and its CSRF token. */
export interface OpenedSession extends AdminSession {
  session: string;
}

/**
 * Admin page credentials: one-time login tokens and sessions, stored only as SHA-256 hashes so
 * reading the database does not give access; both expire.
 */
export class AdminAuthRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Makes a one-time login token valid for `ttlMs`; only its hash is stored. */
  async createLogin(ttlMs: number): Promise<string> {
    const token = randomToken();
    const key = BOT_KEYS.login(await tokenHash(token));
    const expires_at = this.#db.now() + ttlMs;
    await this.#db.run(() => this.#db.kv.set(key, { expires_at }, { expireIn: ttlMs }));
    return token;
  }

  /**
   * Spends a login token: on success it is deleted (in the same commit that opens the session,
   * so it works once) and a session valid for `ttlMs` is returned; otherwise undefined.
   */
  async redeemLogin(token: string, ttlMs: number): Promise<OpenedSession | undefined> {
    const key = BOT_KEYS.login(await tokenHash(token));
    const entry = await this.#db.run(() => this.#db.kv.get<{ expires_at: number }>(key));
    const now = this.#db.now();
    if (!entry.value || entry.value.expires_at <= now) return undefined;
    const opened: OpenedSession = { session: randomToken(), csrf: randomToken(), expires_at: now + ttlMs };
    const value: AdminSession = { csrf: opened.csrf, expires_at: opened.expires_at };
    const skey = BOT_KEYS.session(await tokenHash(opened.session));
    const res = await this.#db.run(() =>
      this.#db.kv.atomic().check(entry).delete(key).set(skey, value, { expireIn: ttlMs }).commit()
    );
    return res.ok ? opened : undefined;
  }

  /** The live session of a cookie value, or undefined (unknown or expired). */
  async session(session: string): Promise<AdminSession | undefined> {
    const key = BOT_KEYS.session(await tokenHash(session));
    const e = await this.#db.run(() => this.#db.kv.get<AdminSession>(key));
    return e.value && e.value.expires_at > this.#db.now() ? e.value : undefined;
  }

  /** Ends a session (logout). */
  async endSession(session: string): Promise<void> {
    const key = BOT_KEYS.session(await tokenHash(session));
    await this.#db.run(() => this.#db.kv.delete(key));
  }
}

/** 32 random bytes, base64url. */
export function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Hex SHA-256 of a token: what the store keeps instead of the token. */
export async function tokenHash(token: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return toHex(d);
}
