import { ConfigError } from "../core/errors.ts";
import { type ResolvedSettings, resolveSettings, type Settings } from "../core/settings.ts";
import { sessionEnvAlias } from "./session_env.ts";
import { resolveAccountRef } from "./named_accounts.ts";

/** Where the CLI runs: its environment and the XDG base directories derived from it. */
export interface CliEnv {
  env: Record<string, string | undefined>;
}

/** XDG base directories for tgpipe (config, data, cache). */
export function xdgDirs(
  env: Record<string, string | undefined>,
): { config: string; data: string; cache: string } {
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  return {
    config: `${env.XDG_CONFIG_HOME || `${home}/.config`}/tgpipe`,
    data: `${env.XDG_DATA_HOME || `${home}/.local/share`}/tgpipe`,
    cache: `${env.XDG_CACHE_HOME || `${home}/.cache`}/tgpipe`,
  };
}

/** Reads the config file (flag, then $TGPIPE_CONFIG, then XDG) and resolves every setting once. */
export async function loadSettings(
  flags: Partial<Record<keyof Settings, unknown>> & { config?: string },
  cli: CliEnv,
): Promise<ResolvedSettings & { configPath: string }> {
  const dirs = xdgDirs(cli.env);
  const explicit = flags.config ?? (cli.env.TGPIPE_CONFIG || undefined);
  const configPath = explicit ?? `${dirs.config}/config.json`;
  const file = await _readConfig(configPath, explicit !== undefined);
  const { config: _, ...settingFlags } = flags;
  const dataDir = String(settingFlags.dataDir ?? cli.env.TGPIPE_DATA_DIR ?? file.data_dir ?? dirs.data);
  const resolved = resolveSettings({
    flags: settingFlags,
    env: sessionEnvAlias(cli.env),
    file,
    filePath: configPath,
    defaults: { kv: `${dataDir}/progress.kv`, session: `${dataDir}/session`, dataDir, cacheDir: dirs.cache },
  });
  // `--session work` (or TGPIPE_SESSION=work) names an account stored by `login --name work`
  const s = resolved.settings;
  return { ...resolved, settings: { ...s, session: resolveAccountRef(s.session, s.dataDir) }, configPath };
}

async function _readConfig(path: string, required: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound && !required) return {};
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message.split("\n")[0]}`, path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8 quotes a snippet of the input ('..."api_hash": "1a2b"...'); drop it so secrets stay out.
    const why = (err as Error).message.replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "");
    throw new ConfigError(`Config file ${path} is not valid JSON: ${why}`, path);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object`, path);
  }
  return parsed as Record<string, unknown>;
}
