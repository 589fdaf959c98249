/**
 * The rclone target: one `rclone` process per operation through lib/tools' runTool (copyto for a
 * file, rcat for a stream, lsjson to list and stat, deletefile, backend features to learn hashes
 * and streaming). Why one process per file rather than `rclone rcd`: see docs/sync.md.
 */
import { ToolFailedError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { classifyRclone } from "./classify_rclone.ts";
import {
  CHECKED_HASHES,
  type Remote,
  type RemoteCallOptions,
  type RemoteEntry,
  type RemoteInfo,
  type RemotePutOptions,
} from "./remote.ts";

/** How to run rclone for one target. */
export interface RcloneRemoteOptions {
  rclone: ResolvedTool;
  /** --config FILE; rclone's own default when undefined. */
  config?: string;
  /** Extra flags for every upload (--bwlimit, --drive-stop-on-upload-limit, --max-transfer). */
  flags?: string[];
  /** Environment for rclone (RCLONE_* variables), resolved in lib/cli. */
  env?: Record<string, string>;
}

// rclone retries inside one run only at the low level; whole attempts are the pipeline's, which
// classifies each failure (a quota must stop the run, not be retried three times)
const BASE_FLAGS = ["--use-json-log", "--retries", "1", "--low-level-retries", "3", "--stats", "0"];
// a listing or a stat is small; a hung one should not hold a run forever
const LIST_TIMEOUT_MS = 10 * 60_000;
const EXIT_NOT_FOUND = [3, 4];

/** A target `name:path` of rclone's configuration (see module comment). */
export class RcloneRemote implements Remote {
  readonly target: string;
  readonly #opts: RcloneRemoteOptions;
  readonly #root: string;

  constructor(target: string, opts: RcloneRemoteOptions) {
    if (!/^[^/\\:]+:/.test(target) && !/^:[a-z]+[,:]/i.test(target)) {
      throw new RangeError(`Not an rclone remote (name:path): ${target}`);
    }
    this.target = target;
    this.#opts = opts;
    this.#root = target.endsWith(":") || target.endsWith("/") ? target : `${target}/`;
  }

  /** The rclone path of `rel` under the root. */
  pathOf(rel: string): string {
    return this.#root + rel.replace(/^\/+/, "");
  }

  async check(opts: RemoteCallOptions = {}): Promise<RemoteInfo> {
    // a listing of the root proves the remote exists, the credentials work and the host answers
    await this.list({ ...opts, maxDepth: 1 });
    const out = await this.#run(["backend", "features", this.#root], { ...opts, timeoutMs: LIST_TIMEOUT_MS });
    const f = JSON.parse(new TextDecoder().decode(out)) as {
      Hashes?: string[];
      Features?: Record<string, boolean>;
    };
    const have = new Set(f.Hashes ?? []);
    return {
      target: this.target,
      hashes: CHECKED_HASHES.filter((h) => have.has(h)),
      canStream: f.Features?.PutStream === true,
    };
  }

  async upload(local: string, path: string, opts: RemotePutOptions = {}): Promise<void> {
    await this.#run(["copyto", local, this.pathOf(path), ...this.#opts.flags ?? []], opts);
  }

  async rcat(
    stream: ReadableStream<Uint8Array>,
    path: string,
    opts: RemotePutOptions & { size?: number } = {},
  ): Promise<void> {
    const size = opts.size !== undefined ? ["--size", String(opts.size)] : [];
    await this.#run(["rcat", ...size, this.pathOf(path), ...this.#opts.flags ?? []], {
      ...opts,
      stdin: stream,
    });
  }

  async list(opts: RemoteCallOptions & { maxDepth?: number } = {}): Promise<RemoteEntry[]> {
    const depth = opts.maxDepth !== undefined ? ["--max-depth", String(opts.maxDepth)] : ["-R"];
    const out = await this.#lsjson([...depth, "--files-only", this.#root], opts);
    return (out ?? []).map((e) => ({ path: e.Path, size: e.Size }));
  }

  async stat(
    path: string,
    opts: RemoteCallOptions & { hash?: string } = {},
  ): Promise<RemoteEntry | undefined> {
    const hash = opts.hash ? ["--hash", "--hash-type", opts.hash] : [];
    const out = await this.#lsjson(["--files-only", ...hash, this.pathOf(path)], opts);
    const e = out?.[0];
    return e ? { path, size: e.Size, hashes: e.Hashes } : undefined;
  }

  async remove(path: string, opts: RemoteCallOptions = {}): Promise<void> {
    try {
      await this.#run(["deletefile", this.pathOf(path)], opts);
    } catch (err) {
      if (!(err instanceof Error && /not found|doesn't exist/i.test(err.message))) throw err;
    }
  }

  /** lsjson; undefined when the path does not exist (rclone exits 3 or 4). */
  async #lsjson(
    args: string[],
    opts: RemoteCallOptions,
  ): Promise<Array<{ Path: string; Size: number; Hashes?: Record<string, string> }> | undefined> {
    try {
      const out = await this.#run(["lsjson", ...args], { ...opts, timeoutMs: LIST_TIMEOUT_MS, raw: true });
      return JSON.parse(new TextDecoder().decode(out));
    } catch (err) {
      if (err instanceof ToolFailedError && EXIT_NOT_FOUND.includes(err.status ?? -1)) return undefined;
      if (err instanceof ToolFailedError) throw classifyRclone(err.status, err.stderrTail, this.target);
      throw err;
    }
  }

  async #run(
    args: string[],
    opts: RemotePutOptions & { timeoutMs?: number; stdin?: ReadableStream<Uint8Array>; raw?: boolean },
  ): Promise<Uint8Array> {
    const config = this.#opts.config !== undefined ? ["--config", this.#opts.config] : [];
    // progress comes as JSON stats lines (NOTICE so they show without -v); they would push the
    // error lines out of the stderr tail, so the log lines are kept apart for the classifier
    const stats = opts.onProgress ? ["--stats", "1s", "--stats-log-level", "NOTICE"] : [];
    const log: string[] = [];
    const onStderrLine = (line: string) => {
      const bytes = opts.onProgress && line.includes('"stats"') ? _statsBytes(line) : undefined;
      if (bytes !== undefined) return opts.onProgress!(bytes);
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
    };
    try {
      const r = await runTool(this.#opts.rclone, [...args, ...config, ...BASE_FLAGS, ...stats], {
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
        stdin: opts.stdin,
        env: this.#opts.env,
        onStderrLine,
      });
      return r.stdout;
    } catch (err) {
      if (!(err instanceof ToolFailedError)) throw err;
      const why = new ToolFailedError(err.tool, err.status, log.join("\n"));
      if (opts.raw) throw why;
      throw classifyRclone(why.status, why.stderrTail, this.target);
    }
  }
}

// the log lines kept for the classifier (rclone's error lines come last)
const LOG_LINES = 40;

/** The bytes of a `--use-json-log` stats line, or undefined when it is not one. */
function _statsBytes(line: string): number | undefined {
  try {
    const j = JSON.parse(line) as { stats?: { bytes?: unknown } };
    return typeof j.stats?.bytes === "number" ? j.stats.bytes : undefined;
  } catch {
    return undefined;
  }
}
