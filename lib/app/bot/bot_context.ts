/** What every handler of the running bot shares: the Telegram side, the store, tools and options. */
import type { BotApi } from "../../core/bot_types.ts";
import type { MusicMatcher } from "../../music/music_matcher.ts";
import type { Emit } from "../../progress/events.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import type { ResolvedTool } from "../../tools/tool_types.ts";
import type { DownloadQueue } from "./download_queue.ts";
import type { QualityChoice } from "./quality_keyboard.ts";
import type { TaskPool } from "./task_pool.ts";

/** One pressed button: a job item of the bot's download job. */
export interface DownloadItem {
  /** `dl:<chat>:<info message id>:<choice>`: stable per request. */
  id: string;
  name: string;
  chat_id: string;
  /** The info message the keyboard was on: edited with the progress. */
  message_id: number;
  user_id: string;
  /** The history record. */
  download_id: string;
  url: string;
  platform: string;
  title: string;
  source_url: string;
  choice: QualityChoice;
  /** The user's file size limit (premium users get the larger one). */
  max_bytes: number;
  premium: boolean;
}

/** The running bot's shared state. */
export interface BotContext {
  api: BotApi;
  store: BotStore;
  admins: ReadonlySet<string>;
  ytDlp: ResolvedTool;
  ffmpegPath?: string;
  ffmpeg?: ResolvedTool;
  ffprobe?: ResolvedTool;
  /** Where downloads and received voice notes wait until sent (removed after). */
  tmpRoot: string;
  matcher?: MusicMatcher;
  /** A one-time admin page login link (with --admin-listen). */
  loginLink?: () => Promise<string>;
  queue: DownloadQueue<DownloadItem>;
  /** Stop handles of requests queued or running, by download id (for /cancel). */
  active: Map<string, { user_id: string; item: DownloadItem; abort: AbortController }>;
  /** Slow work of the update loop (reading links, recognition), a few at once. */
  tasks: TaskPool;
  /** Least ms between two progress edits of one message. */
  editIntervalMs: number;
  emit: Emit;
  signal: AbortSignal;
}
