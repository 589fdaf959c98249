/**
 * One pass of a sync over the job runner: plan the chat's files above the watermark (the download
 * planner, oldest first, named by the template), list what the remote already has, then one
 * {@link syncItem} per file.
 */
import { Limiter } from "../../engine/limiter.ts";
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import { DiskBudget } from "../../engine/disk_budget.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobReport } from "../../engine/job_types.ts";
import { isTransient } from "../../engine/is_transient.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { DEFAULT_TEMPLATE } from "../../core/name_template.ts";
import type { Emit } from "../../progress/events.ts";
import type { Remote, RemoteInfo } from "../../remote/remote.ts";
import { isFatalRemoteError, RemoteError } from "../../remote/remote_errors.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { assignDestinations } from "../download/assign_destinations.ts";
import { planItems } from "../download/download_plan.ts";
import type { SyncOptions } from "./sync_options.ts";
import { type SyncContext, syncItem, type SyncPlanned } from "./sync_item.ts";
import { messageIdOf, type SyncState } from "./sync_state.ts";

/** What a pass needs from its run. */
export interface PassContext {
  remote: Remote;
  info: RemoteInfo;
  pool: AccountPool<TelegramAccount>;
  store: ProgressStore;
  emit: Emit;
  state: SyncState;
  /** sync's working folder in --temp (emptied before the first pass). */
  work: string;
  /** When --max-runtime ends (ms since the epoch). */
  deadline?: number;
  opts: SyncOptions;
}

/** Runs one pass (see module comment); the runner's report. */
export async function syncPass(chat: ResolvedChat, c: PassContext): Promise<JobReport> {
  const { opts } = c;
  const accounts = c.pool.accounts;
  const byStep = new Set<string>();
  // items the progress store knows as done are skipped by the runner without a step: the state
  // learns of them from their item_done event
  const emit: Emit = (e) => {
    if (e.type === "item_done" && e.skipped && !byStep.has(e.item)) {
      c.state.finished(messageIdOf(e.item)).catch(() => {});
    }
    c.emit(e);
  };
  await Deno.mkdir(c.work, { recursive: true });
  const ctx = await _context(c, emit);
  let next = 0;
  let ledger: KvPartLedger | undefined;
  const maxRuntimeMs = c.deadline !== undefined ? Math.max(1, c.deadline - Date.now()) : undefined;
  return await runJob<SyncPlanned>({
    command: "sync",
    key: JSON.stringify({
      chat: chat.id,
      target: opts.target,
      template: opts.template,
      filter: opts.filter ?? {},
    }),
    args: `${opts.chat} -> ${opts.target}`,
    plan: ({ signal }) => _plan(c, signal),
    step: (p, s) => {
      byStep.add(p.item);
      ledger ??= new KvPartLedger(c.store, s.jobId);
      return syncItem(p, ctx, {
        signal: s.signal,
        accounts: ownFirst(accounts, next++),
        jobId: s.jobId,
        ledger,
      });
    },
  }, {
    store: c.store,
    // lanes for the files downloading, those uploading, and as many waiting for an upload slot
    concurrency: 2 * (opts.concurrency ?? 4) + (opts.uploadConcurrency ?? 3),
    retries: 2,
    isRetryable: (e) => e instanceof RemoteError ? e.transient : isTransient(e),
    retryDelayMs: (attempt) => 2000 * attempt,
    isFatal: isFatalRemoteError,
    maxRuntimeMs,
    emit,
    signal: opts.signal,
  });
}

async function _context(c: PassContext, emit: Emit): Promise<SyncContext> {
  const { opts } = c;
  const listed = await c.remote.list({ signal: opts.signal });
  return {
    remote: c.remote,
    info: c.info,
    onRemote: new Map(listed.map((e) => [e.path, e.size])),
    budget: new DiskBudget(opts.maxDisk, { emit }),
    downloads: new Limiter(opts.concurrency ?? 4),
    uploads: new Limiter(opts.uploadConcurrency ?? 3),
    state: c.state,
    keepLocal: opts.keepLocal === true,
    uploadAttempts: 6,
    download: {
      out: c.work,
      stallMs: opts.stallMs,
      store: c.store,
      tally: { fetched_bytes: 0 },
      emit,
      inFlight: new Limiter(48 * c.pool.accounts.length),
    },
    emit,
  };
}

/** The chat's files above the watermark, oldest first, each with its --temp and remote path. */
async function _plan(c: PassContext, signal: AbortSignal): Promise<SyncPlanned[]> {
  const { opts } = c;
  const watermark = c.state.data.watermark;
  const planned = await planItems(c.pool.accounts[0].client, [{ kind: "chat", text: opts.chat }], {
    filter: { ...opts.filter, minId: watermark },
    signal,
  });
  const files = planned.filter((p): p is Extract<typeof p, { file: unknown }> => "file" in p)
    .sort((a, b) => a.file.messageId - b.file.messageId);
  const dests = assignDestinations(files, { out: c.work, template: opts.template ?? DEFAULT_TEMPLATE });
  const out: SyncPlanned[] = [];
  for (const f of files) {
    const dest = dests.get(f.item);
    // a name that leaves the folder fails its item (syncItem throws it) and holds the watermark
    const error = typeof dest === "string" ? undefined : dest ?? new RangeError("No destination");
    const path = typeof dest === "string" ? dest : c.work;
    const remotePath = path.slice(c.work.length + 1).split(/[\\/]/).join("/");
    out.push({ id: f.item, item: f.item, file: f.file, dest: path, remotePath, bytes: f.file.size, error });
  }
  c.state.plan(out.map((p) => p.file.messageId));
  return out;
}
