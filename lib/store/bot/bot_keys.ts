import type { DeliveryState, DownloadStatus } from "../../core/bot_records.ts";
import { toHex } from "../../core/to_hex.ts";

/**
 * The bot's KV layout, beside the progress store's keys (all under "bot"):
 *   ["bot", "user", id]                        BotUserRecord
 *   ["bot", "uname", username_lower, id]       null: users by username prefix
 *   ["bot", "dl", dl_id]                       DownloadRecord (dl_id is time-ordered: the time index)
 *   ["bot", "dl_user", user_id, dl_id]         null: history by user
 *   ["bot", "dl_status", status, dl_id]        null: history by status
 *   ["bot", "dl_platform", platform, dl_id]    null: history by platform
 *   ["bot", "dl_n", user_id]                   Deno.KvU64: the user's completed downloads
 *   ["bot", "rec", rec_id]                     RecognitionRecord
 *   ["bot", "settings"]                        Partial<BotSettings>
 *   ["bot", "bc", bc_id]                       BroadcastRecord
 *   ["bot", "bc_to", bc_id, user_id]           DeliveryState: one per user reached
 *   ["bot", "bc_n", bc_id, state]              Deno.KvU64 delivery counters
 *   ["bot", "rate", user_id]                   number[]: request times in the last minute
 *   ["bot", "login", sha256(token)]            { expires_at }: one-time admin login tokens
 *   ["bot", "session", sha256(session)]        { csrf, expires_at }: admin page sessions
 *   ["bot", "state"]                           the bot's Telegram update state (pts, qts, ...)
 *   ["bot", "peer", user_id]                   string: the user's access hash (to message them later)
 *   ["bot", "req", chat_id, message_id]        PendingRequest: a link whose keyboard waits for a press
 */
export const BOT_KEYS = {
  user: (id: string): Deno.KvKey => ["bot", "user", id],
  users: ["bot", "user"] as Deno.KvKey,
  userName: (name: string, id: string): Deno.KvKey => ["bot", "uname", name.toLowerCase(), id],
  userNames: ["bot", "uname"] as Deno.KvKey,
  download: (id: string): Deno.KvKey => ["bot", "dl", id],
  downloads: ["bot", "dl"] as Deno.KvKey,
  dlByUser: (user: string, id?: string): Deno.KvKey => _opt(["bot", "dl_user", user], id),
  dlByStatus: (status: DownloadStatus, id?: string): Deno.KvKey => _opt(["bot", "dl_status", status], id),
  dlByPlatform: (platform: string, id?: string): Deno.KvKey => _opt(["bot", "dl_platform", platform], id),
  downloadCount: (user: string): Deno.KvKey => ["bot", "dl_n", user],
  recognition: (id: string): Deno.KvKey => ["bot", "rec", id],
  recognitions: ["bot", "rec"] as Deno.KvKey,
  settings: ["bot", "settings"] as Deno.KvKey,
  broadcast: (id: string): Deno.KvKey => ["bot", "bc", id],
  broadcasts: ["bot", "bc"] as Deno.KvKey,
  delivery: (bc: string, user: string): Deno.KvKey => ["bot", "bc_to", bc, user],
  deliveries: (bc: string): Deno.KvKey => ["bot", "bc_to", bc],
  deliveryCount: (bc: string, state: DeliveryState): Deno.KvKey => ["bot", "bc_n", bc, state],
  rate: (user: string): Deno.KvKey => ["bot", "rate", user],
  login: (hash: string): Deno.KvKey => ["bot", "login", hash],
  session: (hash: string): Deno.KvKey => ["bot", "session", hash],
  updateState: ["bot", "state"] as Deno.KvKey,
  peer: (user: string): Deno.KvKey => ["bot", "peer", user],
  request: (chat: string, message: number): Deno.KvKey => ["bot", "req", chat, message],
};

function _opt(key: Deno.KvKey, id?: string): Deno.KvKey {
  return id === undefined ? key : [...key, id];
}

/**
 * A new time-ordered id: 13 digits of milliseconds, then random hex, so ids sort by creation
 * time and two made in the same millisecond do not collide.
 */
export function timeId(now: number): string {
  const rnd = crypto.getRandomValues(new Uint8Array(5));
  return `${String(Math.floor(now)).padStart(13, "0")}-${toHex(rnd)}`;
}
