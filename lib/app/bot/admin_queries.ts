import type {
  BotUserRecord,
  BroadcastRecord,
  DownloadRecord,
  RecognitionRecord,
} from "../../core/bot_records.ts";
import type { DownloadQuery } from "../../store/bot/download_repo.ts";
import type { UserQuery } from "../../store/bot/user_repo.ts";
import type { BroadcastCounts } from "../../core/bot_records.ts";
import { type BotStoreOptions, withBotStore } from "./with_bot_store.ts";

/** A broadcast with its delivery counts. */
export interface BroadcastView extends BroadcastRecord, BroadcastCounts {}

/** Users for `bot users` (search by id or username prefix, filters). */
export function listBotUsers(opts: BotStoreOptions & UserQuery): Promise<BotUserRecord[]> {
  return withBotStore({ ...opts, write: false, empty: () => [] }, (s) => s.users.list(opts));
}

/** Download history for `bot history`, newest first. */
export function listBotHistory(opts: BotStoreOptions & DownloadQuery): Promise<DownloadRecord[]> {
  return withBotStore({ ...opts, write: false, empty: () => [] }, (s) => s.downloads.list(opts));
}

/** The recognition log, newest first. */
export function listRecognitions(
  opts: BotStoreOptions & { user_id?: string; limit?: number },
): Promise<RecognitionRecord[]> {
  return withBotStore({ ...opts, write: false, empty: () => [] }, (s) => s.recognitions.list(opts));
}

/** Broadcasts newest first, with their counts. */
export function listBroadcasts(opts: BotStoreOptions & { limit?: number }): Promise<BroadcastView[]> {
  return withBotStore({ ...opts, write: false, empty: () => [] }, async (s) => {
    const out: BroadcastView[] = [];
    for (const b of await s.broadcasts.list(opts.limit)) {
      out.push({ ...b, ...await s.broadcasts.counts(b.id) });
    }
    return out;
  });
}
