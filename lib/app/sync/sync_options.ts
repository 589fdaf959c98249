/** What `tgpipe sync` is asked to do; lib/cli fills every field from flags and settings. */
import type { Emit } from "../../progress/events.ts";
import type { DownloadFilter } from "../download/download_plan.ts";
import type { TelegramAccess } from "../shared/telegram_access.ts";

/** Options of sync (lib/app/sync/sync.ts). */
export interface SyncOptions {
  chat: string;
  target: string;
  kv: string;
  createKvParent?: boolean;
  accounts: TelegramAccess[];
  template?: string;
  filter?: DownloadFilter;
  /** Bytes --temp may hold at any instant (.part files included). */
  maxDisk: number;
  /** The working folder's parent; sync works in its own subfolder. */
  temp: string;
  /** Files downloading at once. Default 4. */
  concurrency?: number;
  /** Files uploading at once. Default 3. */
  uploadConcurrency?: number;
  saveEvery?: number;
  saveIntervalMs?: number;
  state?: "kv" | "telegram" | "both";
  resume?: boolean;
  resumeFrom?: number;
  maxRuntimeMs?: number;
  /** After catching up, look for new messages this often until stopped or out of time. */
  watchMs?: number;
  keepLocal?: boolean;
  /** How to find rclone (for remote targets): --rclone, $PATH and the cache dir, from lib/cli. */
  rclone: { configured?: string; searchPath: string; cacheDir: string };
  rcloneConfig?: string;
  /** Extra rclone flags for uploads (--rclone-arg): --bwlimit, --drive-stop-on-upload-limit, --max-transfer. */
  rcloneArgs?: string[];
  connections?: number;
  stallMs?: number;
  emit?: Emit;
  signal?: AbortSignal;
}
