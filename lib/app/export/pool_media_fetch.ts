/**
 * How export downloads one media file: through the account pool like `tgpipe download` (each
 * file given to an account in turn, its parts moving to a free account on FLOOD_WAIT), resumable
 * through the part ledger, verified, renamed into place. A file already there is kept.
 */
import { type AccountPool, fileLanes, ownFirst } from "../../engine/account_pool.ts";
import { downloadFile } from "../../engine/download_file.ts";
import type { PartLedger } from "../../engine/file_source.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { shareFile } from "../../engine/shared_file.ts";
import type { Emit } from "../../progress/events.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import type { MediaFetch } from "./media_prefetch.ts";

/** Options of {@link poolMediaFetch}. */
export interface PoolMediaFetchOptions {
  ledger: PartLedger;
  /** Bounds the parts in flight of every file at once (48 per account, as download). */
  inFlight: Limiter;
  /** Parts in flight per file; default by size (4 below 10 MB, 8 below 64 MB, else 16). */
  partConcurrency?: number;
  /** A part with no answer after this long is cancelled and retried. Default 30000 ms. */
  stallMs?: number;
  emit: Emit;
}

const BIG = 64 << 20;
const SMALL = 10 << 20;

/** A MediaFetch over `pool` (see module comment). */
export function poolMediaFetch(pool: AccountPool<TelegramAccount>, opts: PoolMediaFetchOptions): MediaFetch {
  let next = 0;
  return async (file, dest, signal) => {
    const have = await Deno.stat(dest).then((s) => s.size, () => -1);
    if (have === file.size) return true;
    const shared = shareFile(fileLanes(ownFirst(pool.accounts, next++), file), file);
    await downloadFile(shared.source, dest, {
      item: `media:${file.chatId}:${file.messageId}`,
      concurrency: opts.partConcurrency ?? (file.size >= BIG ? 16 : file.size >= SMALL ? 8 : 4),
      ledger: opts.ledger,
      signal,
      // a media file is no job item of export: its bytes count into its chat's progress
      emit: (e) => e.type !== "item_progress" && opts.emit(e),
      stallMs: opts.stallMs ?? 30_000,
      partWriter: shared.partWriter,
      inFlight: opts.inFlight,
    });
    return true;
  };
}
