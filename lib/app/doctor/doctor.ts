import { TgpipeError } from "../../core/errors.ts";
import { isCompiled } from "../../core/is_compiled.ts";
import { VERSION } from "../../core/version.ts";
import { findTool, TOOL_NAMES } from "../../tools/find_tool.ts";
import { listRemotes } from "../../remote/list_remotes.ts";
import { checkRcloneVersion } from "../../remote/open_remote.ts";
import type { ToolName } from "../../tools/tool_types.ts";
import { probeStore } from "../../store/probe_store.ts";
import { ytDlpAgeWarning } from "../../grab/ytdlp_age.ts";

/** What doctor checks, resolved by lib/cli from flags, env and the config file. */
export interface DoctorOptions {
  /** Progress store location (file path or KV Connect URL). */
  kv: string;
  /** Create the store's parent directory if missing (only for the default location). */
  createKvParent?: boolean;
  /** Session file path. */
  session: string;
  /** True when a session string is configured instead of a file (its value is never passed). */
  hasSessionString?: boolean;
  /** Configured tool paths (flag/env/config); unset tools are looked up on `searchPath`. */
  tools: Partial<Record<ToolName, string>>;
  whisperModel?: string;
  /** $PATH as lib/cli read it. */
  searchPath: string;
  cacheDir: string;
  signal?: AbortSignal;
}

/** One tool as doctor found it. */
export interface DoctorTool {
  name: ToolName;
  found: boolean;
  path?: string;
  version?: string;
  source?: "configured" | "path" | "bundled";
  /** Why it is missing and how to install it. */
  hint?: string;
  /** Found but worth fixing (an old yt-dlp: platforms change every few weeks). */
  warning?: string;
}

/** Everything doctor found out; `ok` is false only when an essential check failed. */
export interface DoctorReport {
  ok: boolean;
  runtime: {
    tgpipe: string;
    deno: string;
    v8: string;
    typescript: string;
    os: string;
    arch: string;
    compiled: boolean;
  };
  store: { location: string; kind: string; writable: boolean; error?: string };
  session: {
    path: string;
    state: "present" | "insecure" | "missing" | "string";
    /** File mode as octal text, e.g. "600"; never the content. */
    mode?: string;
  };
  tools: DoctorTool[];
  /** `rclone listremotes` (sync's targets) when rclone was found; `error` when it failed. */
  rclone_remotes?: { remotes: string[]; error?: string };
  whisper_model: { path?: string; state: "unset" | "missing" | "ggml" | "not_ggml"; bytes?: number };
  warnings: string[];
}

// "lmgg": the little-endian magic 0x67676d6c every whisper.cpp ggml model starts with.
const GGML_MAGIC = [0x6c, 0x6d, 0x67, 0x67];

/**
 * Checks the runtime, the progress store, the session and every external tool. Never throws for
 * a failed check: each one is reported with what to do about it.
 *
 * @example
 * ```ts
 * const report = await runDoctor({ kv, session, tools: {}, searchPath, cacheDir });
 * if (!report.ok) console.error(report.store.error);
 * ```
 */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const [store, session, tools, model] = await Promise.all([
    probeStore(opts.kv, { createParent: opts.createKvParent ?? false }),
    _session(opts),
    Promise.all(TOOL_NAMES.map((name) => _tool(name, opts))),
    _model(opts.whisperModel),
  ]);
  opts.signal?.throwIfAborted();
  const warnings: string[] = [];
  if (!store.writable) {
    warnings.push(`Progress store ${store.location} is not writable: ${store.error ?? "unknown"}`);
  }
  if (session.state === "missing") warnings.push(`No session at ${session.path}: run \`tgpipe login\``);
  if (session.state === "insecure") {
    warnings.push(`Session ${session.path} has mode ${session.mode}; run \`chmod 600 ${session.path}\``);
  }
  for (const t of tools) {
    if (!t.found) warnings.push(`${t.name} not found: ${t.hint}`);
    else if (t.warning) warnings.push(t.warning);
  }
  const rclone = tools.find((t) => t.name === "rclone" && t.found);
  const remotes = rclone ? await _remotes(rclone, opts.signal) : undefined;
  if (rclone) {
    try {
      checkRcloneVersion({ version: rclone.version, path: rclone.path! });
    } catch (err) {
      warnings.push((err as Error).message);
    }
  }
  if (model.state === "unset") {
    warnings.push("No Whisper model configured: set --whisper-model to a ggml file (e.g. ggml-base.en.bin)");
  } else if (model.state === "missing") warnings.push(`Whisper model ${model.path} does not exist`);
  else if (model.state === "not_ggml") warnings.push(`Whisper model ${model.path} is not a ggml file`);
  return {
    ok: store.writable,
    runtime: {
      tgpipe: VERSION,
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      os: Deno.build.os,
      arch: Deno.build.arch,
      compiled: isCompiled(),
    },
    store: { location: store.location, kind: store.kind, writable: store.writable, error: store.error },
    session,
    tools,
    ...(remotes ? { rclone_remotes: remotes } : {}),
    whisper_model: model,
    warnings,
  };
}

async function _tool(name: ToolName, opts: DoctorOptions): Promise<DoctorTool> {
  try {
    const t = await findTool(name, {
      configured: opts.tools[name],
      searchPath: opts.searchPath,
      cacheDir: opts.cacheDir,
      signal: opts.signal,
    });
    const warning = name === "yt-dlp" && t.version ? ytDlpAgeWarning(t.version) : undefined;
    return {
      name,
      found: true,
      path: t.path,
      version: t.version,
      source: t.source,
      ...(warning ? { warning } : {}),
    };
  } catch (err) {
    if (!(err instanceof TgpipeError)) throw err;
    // ToolMissingError carries the install hint; any other failure (e.g. a broken bundled
    // extraction) is reported the same way so one tool never hides the others.
    const hint = typeof err.data.hint === "string" ? err.data.hint : err.message;
    return { name, found: false, hint };
  }
}

async function _remotes(t: DoctorTool, signal?: AbortSignal): Promise<{ remotes: string[]; error?: string }> {
  try {
    return { remotes: await listRemotes({ name: "rclone", path: t.path!, source: "path" }, { signal }) };
  } catch (err) {
    if (!(err instanceof TgpipeError)) throw err;
    return { remotes: [], error: err.message };
  }
}

async function _session(opts: DoctorOptions): Promise<DoctorReport["session"]> {
  if (opts.hasSessionString) return { path: opts.session, state: "string" };
  const info = await Deno.stat(opts.session).catch(() => undefined);
  if (!info?.isFile) return { path: opts.session, state: "missing" };
  if (info.mode === null) return { path: opts.session, state: "present" };
  const mode = (info.mode & 0o777).toString(8);
  // Group or other access lets another local user take over the Telegram account.
  return { path: opts.session, state: (info.mode & 0o077) === 0 ? "present" : "insecure", mode };
}

async function _model(path: string | undefined): Promise<DoctorReport["whisper_model"]> {
  if (path === undefined || path === "") return { state: "unset" };
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return { path, state: "missing" };
  }
  try {
    const info = await file.stat();
    const head = new Uint8Array(4);
    const n = info.isFile ? await file.read(head) : null;
    const ggml = n === 4 && GGML_MAGIC.every((b, i) => head[i] === b);
    return { path, state: ggml ? "ggml" : "not_ggml", bytes: info.size };
  } finally {
    file.close();
  }
}
