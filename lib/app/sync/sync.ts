/**
 * `tgpipe sync <chat> <remote:path | dir>`: one pipeline on the job runner and the account pool:
 * download (the download use case's step) -> upload -> verify -> delete local -> record, files
 * downloading while others upload, under a disk budget; state saved to the progress store and a
 * message in Saved Messages so a fresh machine resumes (--resume). See docs/sync.md.
 */
import { checkTemplate, DEFAULT_TEMPLATE } from "../../core/name_template.ts";
import { StoppedError } from "../../core/errors.ts";
import { sleep } from "../../core/sleep.ts";
import type { AccountPool } from "../../engine/account_pool.ts";
import type { JobReport } from "../../engine/job_types.ts";
import type { Emit } from "../../progress/events.ts";
import { openRemote } from "../../remote/open_remote.ts";
import { jobIdFor } from "../../store/job_id.ts";
import { findTool } from "../../tools/find_tool.ts";
import { resolveChat } from "../../telegram/resolve_chat.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { accountSpec } from "../shared/telegram_access.ts";
import { openOutputStore } from "../shared/open_output_store.ts";
import { loadState, type StatePlaces, stateSink } from "./state_sinks.ts";
import { syncPass } from "./sync_pass.ts";
import type { SyncOptions } from "./sync_options.ts";

export type { SyncOptions } from "./sync_options.ts";
import { SyncState, type SyncStateData } from "./sync_state.ts";

/** What a sync run did: the runner's report of the last pass plus the saved state. */
export interface SyncReport extends JobReport {
  state: SyncStateData;
  passes: number;
}

/**
 * Runs a sync (see module comment). Rejects with StoppedError (exit 75) at --max-runtime, Ctrl-C
 * or a quota (with when to run again), RemoteMissingError (exit 2) before any download.
 */
export async function sync(opts: SyncOptions): Promise<SyncReport> {
  const emit: Emit = opts.emit ?? (() => {});
  checkTemplate(opts.template ?? DEFAULT_TEMPLATE);
  const remote = await openRemote(opts.target, {
    rclone: () => findTool("rclone", { ...opts.rclone, signal: opts.signal }),
    config: opts.rcloneConfig,
    flags: opts.rcloneArgs,
  });
  // a missing or unreachable remote is found before anything is downloaded
  const info = await remote.check({ signal: opts.signal });
  const tgOnly = opts.state === "telegram";
  const output = await openOutputStore(opts.temp, { ...opts, kv: tgOnly ? ":memory:" : opts.kv });
  let pool: AccountPool<TelegramAccount> | undefined;
  try {
    pool = await openAccountPool(opts.accounts.map(accountSpec), {
      connections: opts.connections ?? 8,
      stallMs: opts.stallMs ?? 30_000,
      emit,
      signal: opts.signal,
    });
    return await _run(opts, { remote, info, pool, store: output.store, emit });
  } catch (err) {
    await output.failed(err);
    throw err;
  } finally {
    await pool?.close();
    output.store.close();
  }
}

type _Open = Omit<Parameters<typeof syncPass>[1], "state" | "work" | "deadline" | "opts">;

/** Loads the state, then runs passes (one, or more with --watch) and saves the state at the end. */
async function _run(opts: SyncOptions, o: _Open): Promise<SyncReport> {
  const client = o.pool.accounts[0].client;
  const chat = await resolveChat(client, opts.chat, { signal: opts.signal });
  const key = jobIdFor("sync", opts.target).slice(5);
  const where = opts.state ?? "both";
  const places: StatePlaces = {
    kv: where === "telegram" ? undefined : { store: o.store, key: `${chat.id}:${opts.target}` },
    telegram: where === "kv" ? undefined : { client, tag: `tgpipe_sync_${chat.id}_${key}` },
    fallbackFile: `${opts.temp}/tgpipe-sync-state-${chat.id}-${key}.json`,
    emit: o.emit,
    signal: opts.signal,
  };
  const saved = await loadState(places, opts.resume === true);
  const start: SyncStateData = {
    v: 1,
    chat: { id: chat.id, name: chat.title },
    target: opts.target,
    watermark: opts.resumeFrom !== undefined ? opts.resumeFrom - 1 : saved?.watermark ?? 0,
    files_downloaded: saved?.files_downloaded ?? 0,
    files_uploaded: saved?.files_uploaded ?? 0,
    bytes_uploaded: saved?.bytes_uploaded ?? 0,
    gb_uploaded: saved?.gb_uploaded ?? 0,
    updated: new Date().toISOString(),
    status: "running",
  };
  const state = new SyncState(start, stateSink(places), {
    every: opts.saveEvery ?? 10,
    intervalMs: opts.saveIntervalMs ?? 5 * 60_000,
  });
  const work = `${opts.temp}/tgpipe-sync-${key}`;
  // what a killed run left in --temp is not in this run's budget: it goes (the remote has the truth)
  if (!opts.keepLocal) await Deno.remove(work, { recursive: true }).catch(() => {});
  const deadline = opts.maxRuntimeMs !== undefined ? Date.now() + opts.maxRuntimeMs : undefined;
  const timer = setInterval(() => state.due() && state.save("running"), 1000);
  let status: SyncStateData["status"] = "failed";
  let passes = 0;
  let report: JobReport;
  try {
    for (;;) {
      report = await syncPass(chat, { ...o, state, work, deadline, opts });
      passes++;
      if (opts.watchMs === undefined) break;
      await _waitForNext(opts.watchMs, deadline, opts.signal);
    }
    status = report.exit_code === 0 ? "done" : "failed";
  } catch (err) {
    status = err instanceof StoppedError ? (err.reason === "quota" ? "quota" : "stopped") : "failed";
    throw err;
  } finally {
    clearInterval(timer);
    await state.save(status);
    if (!opts.keepLocal) await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return { ...report, state: state.data, passes };
}

/** --watch: waits for the next look at the chat; the time budget ends the wait (exit 75). */
async function _waitForNext(ms: number, deadline: number | undefined, signal?: AbortSignal): Promise<void> {
  const left = deadline === undefined ? Infinity : deadline - Date.now();
  if (left <= ms) {
    await sleep(Math.max(0, left), signal);
    throw new StoppedError("Stopped: --max-runtime reached while watching for new messages", "max_runtime");
  }
  await sleep(ms, signal);
}
