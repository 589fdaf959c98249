import { openKv, type OpenKvOptions } from "../open_kv.ts";
import type { StoreKind } from "../store_location.ts";
import type { BotDb } from "./bot_db.ts";
import { UserRepo } from "./user_repo.ts";
import { DownloadRepo } from "./download_repo.ts";
import { RecognitionRepo } from "./recognition_repo.ts";
import { SettingsRepo } from "./settings_repo.ts";
import { BroadcastRepo } from "./broadcast_repo.ts";
import { RateRepo } from "./rate_repo.ts";
import { AdminAuthRepo } from "./admin_auth_repo.ts";
import { UpdateStateRepo } from "./update_state_repo.ts";
import { RequestRepo } from "./request_repo.ts";

/** Options of `openBotStore`. */
export interface OpenBotStoreOptions extends OpenKvOptions {
  /** Milliseconds clock for records, rate windows and expiry. Default Date.now. */
  now?: () => number;
}

/** The bot's data in the progress store's database, one repository per aggregate. */
export interface BotStore {
  readonly location: string;
  readonly kind: StoreKind;
  readonly users: UserRepo;
  readonly downloads: DownloadRepo;
  readonly recognitions: RecognitionRepo;
  readonly settings: SettingsRepo;
  readonly broadcasts: BroadcastRepo;
  readonly rate: RateRepo;
  readonly auth: AdminAuthRepo;
  /** The running bot's Telegram update state and users' access hashes. */
  readonly state: UpdateStateRepo;
  /** Links whose quality keyboard waits for a press. */
  readonly requests: RequestRepo;
  close(): void;
}

/**
 * Opens the bot's store on the progress store at `location` (a KV file, a KV Connect URL or
 * ":memory:"), migrating the schema like openProgressStore; the layout is in bot_keys.ts.
 */
export async function openBotStore(location: string, opts: OpenBotStoreOptions = {}): Promise<BotStore> {
  const opened = await openKv(location, opts);
  const db: BotDb = { kv: opened.kv, run: opened.run, now: opts.now ?? Date.now };
  let closed = false;
  return {
    location,
    kind: opened.kind,
    users: new UserRepo(db),
    downloads: new DownloadRepo(db),
    recognitions: new RecognitionRepo(db),
    settings: new SettingsRepo(db),
    broadcasts: new BroadcastRepo(db),
    rate: new RateRepo(db),
    auth: new AdminAuthRepo(db),
    state: new UpdateStateRepo(db),
    requests: new RequestRepo(db),
    close() {
      if (closed) return;
      closed = true;
      opened.kv.close();
    },
  };
}
