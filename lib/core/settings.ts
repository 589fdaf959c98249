import { ConfigError } from "./errors.ts";

/** Where a resolved setting came from, lowest precedence last. */
export type SettingSource = "flag" | "env" | "file" | "default";

type Kind = "string" | "number" | "boolean" | "list";

/** One setting: its config-file key, env var, type, and whether it is a secret. */
export interface SettingDef {
  key: keyof Settings;
  file: string;
  env: string;
  kind: Kind;
  secret?: boolean;
  help: string;
}

/** Every setting tgpipe resolves once in lib/cli and passes down. */
export interface Settings {
  kv: string;
  session: string;
  sessionString: string | undefined;
  apiId: number | undefined;
  apiHash: string | undefined;
  botToken: string | undefined;
  /** Bot accounts that share downloads and export media with the session's account. */
  botTokens: string[] | undefined;
  telegramEndpoints: string | undefined;
  /** socks5://, http:// or tg://proxy (MTProxy) for every Telegram connection; may hold a password or secret. */
  proxy: string | undefined;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  dataDir: string;
  cacheDir: string;
  ffmpeg: string | undefined;
  ffprobe: string | undefined;
  whisperCli: string | undefined;
  whisperModel: string | undefined;
  rclone: string | undefined;
  ytDlp: string | undefined;
}

/** The settings table: config-file keys are snake_case, env vars are TGPIPE_<KEY>. */
export const SETTING_DEFS: readonly SettingDef[] = [
  _def("kv", "kv", "string", "progress store: a file path, or a KV Connect URL"),
  _def("session", "session", "string", "session file (mode 0600)"),
  { ..._def("sessionString", "session_string", "string", "session string instead of a file"), secret: true },
  _def("apiId", "api_id", "number", "Telegram api_id (my.telegram.org)"),
  { ..._def("apiHash", "api_hash", "string", "Telegram api_hash"), secret: true },
  { ..._def("botToken", "bot_token", "string", "bot token for bot logins"), secret: true },
  {
    ..._def(
      "botTokens",
      "bot_tokens",
      "list",
      "bot tokens sharing downloads (a JSON list; comma-separated in env)",
    ),
    secret: true,
  },
  _def("telegramEndpoints", "telegram_endpoints", "string", "test DC map + RSA key (JSON); unset = Telegram"),
  // secret: a proxy URL may carry a password, an MTProxy link always carries its secret
  {
    ..._def(
      "proxy",
      "proxy",
      "string",
      "socks5://, http:// or tg://proxy (MTProxy) for every Telegram connection",
    ),
    secret: true,
  },
  _def("json", "json", "boolean", "JSON lines on stdout"),
  _def("quiet", "quiet", "boolean", "no progress: only errors and the final summary"),
  _def("verbose", "verbose", "boolean", "debug logs and stack traces"),
  _def("color", "color", "boolean", "colored output (NO_COLOR turns it off)"),
  _def("dataDir", "data_dir", "string", "data directory (KV store, session)"),
  _def("cacheDir", "cache_dir", "string", "cache directory (extracted tools, transcripts)"),
  _def("ffmpeg", "ffmpeg", "string", "ffmpeg binary"),
  _def("ffprobe", "ffprobe", "string", "ffprobe binary"),
  _def("whisperCli", "whisper_cli", "string", "whisper.cpp whisper-cli binary"),
  _def("whisperModel", "whisper_model", "string", "ggml Whisper model file"),
  _def("rclone", "rclone", "string", "rclone binary"),
  _def("ytDlp", "yt_dlp", "string", "yt-dlp binary"),
];

function _def(key: keyof Settings, file: string, kind: Kind, help: string): SettingDef {
  return { key, file, env: `TGPIPE_${file.toUpperCase()}`, kind, help };
}

/** The layers settings are resolved from, highest precedence first. */
export interface SettingLayers {
  flags: Partial<Record<keyof Settings, unknown>>;
  env: Record<string, string | undefined>;
  file: Record<string, unknown>;
  filePath?: string;
  defaults: Pick<Settings, "kv" | "session" | "dataDir" | "cacheDir">;
}

/** Resolved settings plus the source of each value (for `config show`). */
export interface ResolvedSettings {
  settings: Settings;
  sources: Record<keyof Settings, SettingSource>;
}

/** Resolves settings once: flags > env (TGPIPE_*) > config file > defaults. */
export function resolveSettings(layers: SettingLayers): ResolvedSettings {
  const known = new Set(SETTING_DEFS.map((d) => d.file));
  for (const k of Object.keys(layers.file)) {
    if (!known.has(k)) throw new ConfigError(`Unknown key "${k}" in config file`, layers.filePath);
  }
  const settings: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const def of SETTING_DEFS) {
    const picked = _pick(def, layers);
    settings[def.key] = picked.value;
    sources[def.key] = picked.source;
  }
  // NO_COLOR (no-color.org) only lowers the default; an explicit flag, env or file value wins.
  if (sources.color === "default") settings.color = !("NO_COLOR" in layers.env && layers.env.NO_COLOR !== "");
  return {
    settings: settings as unknown as Settings,
    sources: sources as Record<keyof Settings, SettingSource>,
  };
}

function _pick(def: SettingDef, layers: SettingLayers): { value: unknown; source: SettingSource } {
  const flag = layers.flags[def.key];
  if (flag !== undefined) return { value: _coerce(def, flag, "flag"), source: "flag" };
  const env = layers.env[def.env];
  if (env !== undefined && env !== "") return { value: _coerce(def, env, def.env), source: "env" };
  if (def.file in layers.file) {
    return { value: _coerce(def, layers.file[def.file], def.file, layers.filePath), source: "file" };
  }
  const defaults: Record<string, unknown> = { ...layers.defaults, json: false, quiet: false, verbose: false };
  defaults.color = true;
  return { value: defaults[def.key], source: "default" };
}

function _coerce(def: SettingDef, raw: unknown, where: string, path?: string): unknown {
  if (def.kind === "boolean") {
    if (typeof raw === "boolean") return raw;
    if (raw === "1" || raw === "true") return true;
    if (raw === "0" || raw === "false") return false;
  } else if (def.kind === "number") {
    const n = typeof raw === "number" ? raw : Number(raw);
    if (typeof raw !== "boolean" && raw !== "" && Number.isInteger(n)) return n;
  } else if (def.kind === "list") {
    if (typeof raw === "string") return raw.split(",").map((v) => v.trim()).filter(Boolean);
    if (Array.isArray(raw) && raw.every((v) => typeof v === "string")) return raw;
  } else if (typeof raw === "string") {
    return raw;
  }
  throw new ConfigError(
    `Invalid ${def.kind} for ${where}: ${def.secret ? "(hidden)" : JSON.stringify(raw)}`,
    path,
  );
}

/** Masks a secret for display: keeps nothing but its length class. */
export function maskSecret(value: string | undefined): string | undefined {
  return value === undefined ? undefined : "********";
}
