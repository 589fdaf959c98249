import { NotFoundError, UsageError } from "../../core/errors.ts";
import {
  type BotSettings,
  type BotUserRecord,
  type BroadcastRecord,
  DEFAULT_BOT_SETTINGS,
} from "../../core/bot_records.ts";
import type { SettingsPatch } from "../../store/bot/settings_repo.ts";
import { type BotStoreOptions, withBotStore } from "./with_bot_store.ts";

/** A user flag an admin sets. */
export type UserFlagChange = { banned: boolean } | { premium: boolean };

/**
 * Bans, unbans or sets premium for a user who has talked to the bot; an unknown id is a
 * NotFoundError (exit 2), with no store created for it.
 */
export function changeBotUser(
  opts: BotStoreOptions & { user: string; change: UserFlagChange },
): Promise<BotUserRecord> {
  const missing = () => {
    throw new NotFoundError(
      `No bot user with id ${opts.user}: the progress store ${opts.kv} does not exist yet`,
      "bot_user",
    );
  };
  return withBotStore(
    { ...opts, write: false, empty: missing },
    (s) =>
      "banned" in opts.change
        ? s.users.setBanned(opts.user, opts.change.banned)
        : s.users.setPremium(opts.user, opts.change.premium),
  );
}

/** Shows the settings, or applies `patch` first and shows the result. */
export function botSettings(opts: BotStoreOptions & { patch?: SettingsPatch }): Promise<BotSettings> {
  const patch = opts.patch && Object.values(opts.patch).some((v) => v !== undefined) ? opts.patch : undefined;
  return withBotStore(
    // Showing the settings of a store that does not exist yet shows the defaults and creates nothing.
    { ...opts, write: patch !== undefined, empty: () => ({ ...DEFAULT_BOT_SETTINGS }) },
    (s) => patch ? s.settings.update(patch) : s.settings.get(),
  );
}

/**
 * Queues a broadcast of `text`, or of the file `media` with `text` as its caption; the running
 * bot sends it. A missing file is a UsageError (exit 2).
 */
export async function queueBroadcast(
  opts: BotStoreOptions & { text?: string; media?: string; by: string },
): Promise<BroadcastRecord> {
  let media_path: string | undefined;
  if (opts.media !== undefined) {
    const st = await Deno.stat(opts.media).catch(() => undefined);
    if (!st?.isFile) throw new UsageError(`--media ${opts.media} is not a file`);
    media_path = await Deno.realPath(opts.media);
  }
  if (!media_path && !opts.text?.trim()) throw new UsageError("A broadcast needs a text or --media FILE");
  return await withBotStore(
    { ...opts, write: true },
    (s) => s.broadcasts.create({ text: opts.text, media_path, by: opts.by }),
  );
}

/**
 * Cancels a queued or running broadcast (the sender stops within a few dozen messages); an
 * unknown id is a NotFoundError and a finished one a UsageError (both exit 2).
 */
export async function cancelBroadcast(opts: BotStoreOptions & { id: string }): Promise<BroadcastRecord> {
  const missing = () => {
    throw new NotFoundError(`No broadcast with id ${opts.id}`, "broadcast");
  };
  return await withBotStore({ ...opts, write: false, empty: missing }, async (s) => {
    const before = await s.broadcasts.require(opts.id);
    const after = before.status === "queued" || before.status === "sending"
      ? await s.broadcasts.setStatus(opts.id, "cancelled", ["queued", "sending"])
      : before;
    if (after.status !== "cancelled" || after === before) {
      throw new UsageError(`Broadcast ${opts.id} is ${after.status}: nothing to cancel`);
    }
    return after;
  });
}
