/**
 * `tgpipe transcribe <chat>`: downloads a chat's voice notes, round videos, audio and video
 * through the download engine (resumable, skip what is there) and transcribes each file once it
 * is in place, writing .srt/.vtt beside it.
 */
import type { MediaKind } from "../../core/message.ts";
import { download, type DownloadReport } from "../download/download.ts";
import type { MediaPostSettings } from "../shared/media_post.ts";
import type { TelegramAccess } from "../shared/telegram_access.ts";
import type { Emit } from "../../progress/events.ts";

/** The media kinds `transcribe <chat>` fetches. */
export const SPOKEN_KINDS: readonly MediaKind[] = ["voice", "round", "audio", "video"];

/** Options of {@link transcribeChat}; lib/cli fills them from flags and settings. */
export interface TranscribeChatOptions {
  out: string;
  kv: string;
  /** Create the progress store's missing folder (only for the default location: a typo never does). */
  createKvParent?: boolean;
  access: TelegramAccess;
  /** The newest n files. */
  limit?: number;
  /** Whisper model, tools, language and threads (`transcribe` is required). */
  media: MediaPostSettings;
  /** Stop starting files after this long (ms): exit 75, the rerun resumes. */
  maxRuntimeMs?: number;
  emit: Emit;
  signal?: AbortSignal;
}

/**
 * True when `arg` names a chat (@name, a t.me link, a numeric id, `me`) rather than a file: an
 * existing file always wins, so a file called "me" is still transcribed as a file.
 */
export async function isChatArgument(arg: string): Promise<boolean> {
  if (await Deno.stat(arg).then(() => true, () => false)) return false;
  return /^(@[A-Za-z0-9_]{3,}|me|self|-?\d{5,}|(https?:\/\/)?(www\.)?(t\.me|telegram\.me|telegram\.dog)\/\S+)$/i
    .test(arg.trim());
}

/** Downloads and transcribes the spoken media of `chat` into `opts.out` (see module comment). */
export async function transcribeChat(chat: string, opts: TranscribeChatOptions): Promise<DownloadReport> {
  return await download({
    inputs: [chat],
    out: opts.out,
    kv: opts.kv,
    createKvParent: opts.createKvParent,
    accounts: [opts.access],
    filter: { types: [...SPOKEN_KINDS], limit: opts.limit },
    media: opts.media,
    requireTranscript: true,
    maxRuntimeMs: opts.maxRuntimeMs,
    emit: opts.emit,
    signal: opts.signal,
  });
}
