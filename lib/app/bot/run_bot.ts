/**
 * `tgpipe bot --bot-token …`: the media-downloader bot. Connects with the bot's token through the
 * account pool, then runs one long job on the job runner whose plan is the queue of pressed
 * buttons (each a download: grab, send, history); the update loop (commands, links, keyboards,
 * recognition), the broadcast sender and the admin page run beside it until Ctrl-C or
 * --max-runtime stop everything (exit 75, like other long commands).
 */
import { dirname, join, resolve } from "node:path";
import type { BotApi } from "../../core/bot_types.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobReport } from "../../engine/job_types.ts";
import type { Emit } from "../../progress/events.ts";
import { type BotStore, openBotStore } from "../../store/bot/bot_store.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import { type BotStateStore, openBotApi } from "../../telegram/bot_api.ts";
import { openAccountPool } from "../../telegram/telegram_account_pool.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { startAdminServer } from "./admin_server.ts";
import type { BotContext, DownloadItem } from "./bot_context.ts";
import { downloadStep, STOPPED_TEXT } from "./bot_download.ts";
import { type BotTools, type BotToolsOptions, openBotTools } from "./bot_tools.ts";
import { updateLoop } from "./bot_updates.ts";
import { broadcastLoop } from "./broadcast_loop.ts";
import { DownloadQueue } from "./download_queue.ts";
import { TaskPool } from "./task_pool.ts";

/** Links read (yt-dlp -J) or voice notes recognised at once, beside the downloads. */
const SLOW_TASKS = 4;

/** Options of {@link runBot}; lib/cli fills them from flags and settings. */
export interface RunBotOptions extends BotToolsOptions {
  /** The bot account (its token is a secret: never logged). */
  account: TelegramAccess;
  kv: string;
  createKvParent?: boolean;
  /** Telegram user ids of the admins (/stats, /admin; they pass maintenance). */
  admins?: string[];
  /** host:port of the admin page; none without it. */
  adminListen?: string;
  /** Stored as the `max_file_size` setting when given. */
  maxFileSize?: number;
  /** Stored as the `rate_limit_per_minute` setting when given. */
  rateLimit?: number;
  /** Downloads at once (the job runner's concurrency). Default 2. */
  concurrency?: number;
  maxRuntimeMs?: number;
  /** Least ms between two progress edits of a message. Default 3000. */
  editIntervalMs?: number;
  /** How often queued broadcasts are looked for, ms. Default 3000. */
  broadcastPollMs?: number;
  emit?: Emit;
  signal?: AbortSignal;
}

/**
 * Runs the bot until it is stopped (see module comment).
 *
 * @throws {StoppedError} on Ctrl-C or at the end of --max-runtime (exit 75)
 * @throws {ToolMissingError} without yt-dlp, or without fpcalc when --music-library is given
 */
export async function runBot(opts: RunBotOptions): Promise<JobReport> {
  const emit: Emit = opts.emit ?? (() => {});
  const tools = await openBotTools({ ...opts, emit });
  const store = await openBotStore(opts.kv, { signal: opts.signal, createParent: opts.createKvParent });
  const progress = await openProgressStore(opts.kv, { signal: opts.signal });
  let pool: Awaited<ReturnType<typeof openAccountPool>> | undefined;
  try {
    await _applySettings(store, opts);
    // a stop while connecting aborts the connection; once running, the client must outlive the
    // stop so the last answers ("the bot was restarted…") still go out before the pool closes
    const connecting = new AbortController();
    const forward = () => connecting.abort(opts.signal?.reason);
    opts.signal?.addEventListener("abort", forward, { once: true });
    const state = _watchedState(store);
    let api: BotApi;
    try {
      pool = await openAccountPool([accountSpec(opts.account)], {
        connections: 2,
        emit,
        signal: connecting.signal,
      });
      api = await openBotApi({ account: pool.accounts[0], state, emit, concurrency: 4 });
    } finally {
      opts.signal?.removeEventListener("abort", forward);
    }
    const tmpRoot = await _tmpRoot(opts.kv, store);
    try {
      await _sweepInterrupted(api, store);
      return await _run(api, store, progress, { ...opts, emit, tools, tmpRoot, started: state.started });
    } finally {
      await Deno.remove(tmpRoot, { recursive: true }).catch(() => {});
    }
  } finally {
    await pool?.close();
    progress.close();
    store.close();
  }
}

type _Ctx = BotContext & { adminUrl?: string; stopAdmin?: () => void; adminFinished?: Promise<void> };
type _RunOptions = RunBotOptions & { emit: Emit; tools: BotTools; tmpRoot: string; started: Promise<void> };

async function _run(
  api: BotApi,
  store: BotStore,
  progress: Awaited<ReturnType<typeof openProgressStore>>,
  opts: _RunOptions,
): Promise<JobReport> {
  let ctx!: _Ctx;
  const background: Promise<unknown>[] = [];
  let loopError: unknown;
  let report: JobReport;
  try {
    report = await runJob<DownloadItem>({
      command: "bot",
      key: `bot:${api.me.id}`,
      args: `@${api.me.username ?? api.me.id}`,
      plan: async ({ signal }) => {
        ctx = await _context(api, store, opts, signal);
        background.push(
          updateLoop(ctx).catch((err) => void (loopError = err)).finally(() => ctx.queue.close()),
          broadcastLoop(api, store, { signal, emit: opts.emit, pollMs: opts.broadcastPollMs }),
        );
        opts.started.then(() =>
          opts.emit({ type: "bot_ready", username: api.me.username ?? api.me.id, admin_url: ctx.adminUrl })
        );
        return ctx.queue;
      },
      step: (item, sctx) => downloadStep(ctx, item, sctx),
    }, {
      store: progress,
      concurrency: opts.concurrency ?? 2,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit: opts.emit,
      signal: opts.signal,
    });
  } finally {
    ctx?.stopAdmin?.();
    await Promise.allSettled(background);
    if (ctx) await _stopQueued(ctx);
    await ctx?.adminFinished;
  }
  // the update stream failed (not a stop): the queue closed, the runner finished, the error ends the run
  if (loopError !== undefined) throw loopError;
  return report;
}

async function _context(
  api: BotApi,
  store: BotStore,
  opts: _RunOptions,
  signal: AbortSignal,
): Promise<_Ctx> {
  let admin: Awaited<ReturnType<typeof startAdminServer>> | undefined;
  const adminStop = new AbortController();
  signal.addEventListener("abort", () => adminStop.abort(), { once: true });
  if (opts.adminListen) {
    admin = await startAdminServer({
      listen: opts.adminListen,
      store,
      signal: adminStop.signal,
      emit: opts.emit,
    });
  }
  return {
    api,
    store,
    admins: new Set(opts.admins ?? []),
    ...opts.tools,
    tmpRoot: opts.tmpRoot,
    loginLink: admin && (() => admin.loginLink()),
    queue: new DownloadQueue<DownloadItem>(signal),
    active: new Map(),
    tasks: new TaskPool(SLOW_TASKS),
    editIntervalMs: opts.editIntervalMs ?? 3000,
    emit: opts.emit,
    signal,
    adminUrl: admin?.url,
    stopAdmin: () => adminStop.abort(),
    adminFinished: admin?.finished,
  };
}

// Requests still queued when the bot stops are answered now, not left pending.
async function _stopQueued(ctx: BotContext): Promise<void> {
  for (const [id, a] of ctx.active) {
    await ctx.store.downloads.update(id, { status: "failed", error: "the bot stopped" }).catch(() => {});
    await ctx.api.editText(a.item.chat_id, a.item.message_id, `${a.item.title}\n${STOPPED_TEXT}`, {
      buttons: [],
    }).catch(() => {});
  }
  ctx.active.clear();
}

// The update state store, telling when the stream has its starting point (loaded or fetched):
// from then on no message is missed, so the bot is ready.
function _watchedState(store: BotStore): BotStateStore & { started: Promise<void> } {
  const started = Promise.withResolvers<void>();
  return {
    started: started.promise,
    load: async () => {
      const s = await store.state.load();
      if (s) started.resolve();
      return s;
    },
    save: async (s) => {
      await store.state.save(s);
      started.resolve();
    },
    savePeer: (id, hash) => store.state.savePeer(id, hash),
    loadPeer: (id) => store.state.loadPeer(id),
  };
}

async function _applySettings(store: BotStore, opts: RunBotOptions): Promise<void> {
  const patch: Record<string, number> = {};
  if (opts.maxFileSize !== undefined) patch.max_file_size = opts.maxFileSize;
  if (opts.rateLimit !== undefined) patch.rate_limit_per_minute = opts.rateLimit;
  if (Object.keys(patch).length > 0) await store.settings.update(patch);
}

// Downloads wait beside the store (same disk as the data), or in the system temp folder.
async function _tmpRoot(kv: string, store: BotStore): Promise<string> {
  if (store.kind !== "file") return await Deno.makeTempDir({ prefix: "tgpipe_bot_" });
  const dir = join(dirname(resolve(kv)), "bot-tmp");
  await Deno.remove(dir, { recursive: true }).catch(() => {}); // a crash's leftovers
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

// A crash (not a clean stop) can leave downloads pending or processing: they are not redone
// (the file might already have gone out), but marked failed and the user told once.
async function _sweepInterrupted(api: BotApi, store: BotStore): Promise<void> {
  for (const status of ["pending", "processing"] as const) {
    for (const d of await store.downloads.list({ status, limit: 10_000 })) {
      await store.downloads.update(d.id, { status: "failed", error: "the bot stopped" });
      await api.sendText(d.user_id, `${d.title ?? d.url}\n${STOPPED_TEXT}`).catch(() => {});
    }
  }
}
