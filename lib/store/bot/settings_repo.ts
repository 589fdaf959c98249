import { BOT_KEYS } from "./bot_keys.ts";
import { type BotDb, casUpdate } from "./bot_db.ts";
import { type BotSettings, DEFAULT_BOT_SETTINGS } from "../../core/bot_records.ts";

/** A settings change; `maintenance_message: null` ends maintenance. */
export type SettingsPatch = Partial<Omit<BotSettings, "maintenance_message">> & {
  maintenance_message?: string | null;
};

/** The bot's settings: stored values over DEFAULT_BOT_SETTINGS. */
export class SettingsRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** The current settings (defaults for what was never set). */
  async get(): Promise<BotSettings> {
    const e = await this.#db.run(() => this.#db.kv.get<Partial<BotSettings>>(BOT_KEYS.settings));
    return { ...DEFAULT_BOT_SETTINGS, ...e.value };
  }

  /** Applies a change and returns the settings after it. Values are checked before anything is written. */
  async update(patch: SettingsPatch): Promise<BotSettings> {
    _check(patch);
    const stored = await casUpdate<Partial<BotSettings>, Partial<BotSettings>>(
      this.#db,
      BOT_KEYS.settings,
      (old) => {
        const value: Partial<BotSettings> = { ...old };
        for (const [k, v] of Object.entries(patch) as [keyof BotSettings, unknown][]) {
          if (v === undefined) continue;
          if (v === null) delete value[k];
          else (value as Record<string, unknown>)[k] = v;
        }
        return { value, result: value };
      },
    );
    return { ...DEFAULT_BOT_SETTINGS, ...stored };
  }
}

function _check(p: SettingsPatch): void {
  const counts: (keyof BotSettings)[] = [
    "max_file_size",
    "premium_max_file_size",
    "rate_limit_per_minute",
    "premium_rate_limit_per_minute",
  ];
  for (const k of counts) {
    const v = p[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || (v as number) < 1)) {
      throw new RangeError(`Setting ${k} must be a whole number of at least 1, got ${v}`);
    }
  }
  if (typeof p.maintenance_message === "string" && p.maintenance_message.trim() === "") {
    throw new RangeError("The maintenance message is empty");
  }
}
