/**
 * What the bot keeps in the progress store's database (layout in bot_keys.ts and docs/bot.md).
 * Times are milliseconds since the epoch; ids of Telegram users are decimal strings.
 */

/** A person who talked to the bot. */
export interface BotUserRecord {
  id: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  download_count: number;
  premium: boolean;
  banned: boolean;
  /** When the one "you are banned" reply went out (banned users get it once, then nothing). */
  ban_notice_at?: number;
  /** Set when a broadcast found the user had blocked the bot. */
  blocked_bot: boolean;
  first_seen: number;
  last_seen: number;
}

/** Where a download request is in its life. */
export type DownloadStatus = "pending" | "processing" | "completed" | "failed";

/** Every download status, in life order. */
export const DOWNLOAD_STATUSES: readonly DownloadStatus[] = ["pending", "processing", "completed", "failed"];

/** One download request and what became of it. */
export interface DownloadRecord {
  /** Time-ordered id (creation time first), so key order is creation order. */
  id: string;
  user_id: string;
  url: string;
  platform: string;
  title?: string;
  /** "video" or "audio", with the chosen quality, e.g. "video 720p". */
  format?: string;
  status: DownloadStatus;
  size?: number;
  error?: string;
  created_at: number;
  updated_at: number;
  /** When each status was reached. */
  times: Partial<Record<DownloadStatus, number>>;
}

/** One music-recognition attempt. */
export interface RecognitionRecord {
  id: string;
  user_id: string;
  /** The kind of file recognised (voice, audio, video_note, video). */
  kind: string;
  /** The match, or absent when nothing matched. */
  title?: string;
  artist?: string;
  error?: string;
  at: number;
}

/** The bot's settings; what is not stored takes its default. */
export interface BotSettings {
  enabled: boolean;
  /** Largest file sent to ordinary users, bytes. */
  max_file_size: number;
  /** Largest file sent to premium users, bytes. */
  premium_max_file_size: number;
  /** Requests per minute per ordinary user (sliding window). */
  rate_limit_per_minute: number;
  /** Requests per minute per premium user. */
  premium_rate_limit_per_minute: number;
  /** When set, the bot answers every request with it (maintenance mode). */
  maintenance_message?: string;
}

/** Settings of a fresh store: 50 MiB (premium 2000 MiB, Telegram's upload limit), 5/min (premium 20/min). */
export const DEFAULT_BOT_SETTINGS: Readonly<BotSettings> = Object.freeze({
  enabled: true,
  max_file_size: 50 * 1024 * 1024,
  premium_max_file_size: 2000 * 1024 * 1024,
  rate_limit_per_minute: 5,
  premium_rate_limit_per_minute: 20,
});

/** Where a broadcast is. */
export type BroadcastStatus = "queued" | "sending" | "done" | "cancelled";

/** A message to every non-banned user. */
export interface BroadcastRecord {
  id: string;
  text?: string;
  /** A file sent with `text` as its caption. */
  media_path?: string;
  status: BroadcastStatus;
  created_at: number;
  started_at?: number;
  finished_at?: number;
  /** Who queued it ("cli", "admin page"). */
  by: string;
}

/** What happened to one user's copy of a broadcast. */
export type DeliveryState = "sent" | "failed" | "blocked";

/** Delivery counters of a broadcast. */
export interface BroadcastCounts {
  sent: number;
  failed: number;
  blocked: number;
}
