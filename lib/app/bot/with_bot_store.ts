import { openBotStore } from "../../store/bot/bot_store.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import { storeExists } from "../../store/store_location.ts";

/** Where the admin commands find the bot's data. */
export interface BotStoreOptions {
  /** Progress store location (resolved in lib/cli). */
  kv: string;
  /** Create the store's folder when missing (the CLI sets it for the default location only). */
  createKvParent?: boolean;
  signal?: AbortSignal;
}

/**
 * Runs `fn` on the bot's store and closes it. When the store does not exist yet, a read
 * (`write` false) gets `empty` without creating anything; a write creates the store.
 */
export async function withBotStore<T>(
  opts: BotStoreOptions & { write: boolean; empty?: () => T },
  fn: (store: BotStore) => Promise<T>,
): Promise<T> {
  if (!opts.write && opts.empty && !(await storeExists(opts.kv))) return opts.empty();
  const store = await openBotStore(opts.kv, {
    signal: opts.signal,
    createParent: opts.write && (opts.createKvParent ?? false),
  });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
