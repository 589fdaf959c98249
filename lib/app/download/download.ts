/**
 * `tgpipe download`: plans the files (links, ranges, chats with filters), then downloads them with
 * the engine: several files at once, each in parallel parts over a pool of connections per DC (or
 * over fetch workers), resumable through the KV progress store, verified, renamed into place.
 */
import { StoppedError } from "../../core/errors.ts";
import { HeapTrimmer } from "../../core/heap_trim.ts";
import { checkTemplate, DEFAULT_TEMPLATE } from "../../core/name_template.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { Limiter } from "../../engine/limiter.ts";
import type { Emit } from "../../progress/events.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import { type DownloadFilter, parseInputs, planItems, type PlannedItem } from "./download_plan.ts";
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { downloadItem } from "./download_item.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";

/** Options of {@link download}; lib/cli fills every field from flags and settings. */
export interface DownloadOptions {
  inputs: string[];
  out: string;
  kv: string;
  /** Accounts to share the work; the first one also lists messages. */
  accounts: TelegramAccess[];
  template?: string;
  filter?: DownloadFilter;
  skipSame?: boolean;
  /** Files at once; default 8 (their parts in flight are bounded together, 48 per account). */
  concurrency?: number;
  /** Parts in flight per file; default by file size (4 below 10 MB, 8 below 64 MB, else 16). */
  partConcurrency?: number;
  /** Fetch workers (each with its own connections); 0 = fetch on the main thread. Default 0. */
  workers?: number;
  /** Connections per DC per account (or per worker). Default 8. */
  connections?: number;
  /** Verify with upload.getFileHashes. Default true. */
  verify?: boolean;
  /** A part with no answer after this long is cancelled and retried. Default 30000 ms. */
  stallMs?: number;
  /** --transcribe (and its whisper flags): each file is transcribed once it is in place. */
  media?: MediaPostSettings;
  emit?: Emit;
  signal?: AbortSignal;
}

/** What a download run did. */
export interface DownloadReport {
  job: string;
  resumed: boolean;
  items: number;
  done: number;
  skipped: number;
  failed: number;
  bytes: number;
  fetched_bytes: number;
  elapsed_ms: number;
}

// parts in flight per account, over all files (measured: 32 left connections idle, 48 and 64 alike)
const PARTS_IN_FLIGHT = 48;

/** Runs a download; items that failed are reported (item_failed) and counted, not thrown. */
export async function download(opts: DownloadOptions): Promise<DownloadReport> {
  const started = Date.now();
  const sink: Emit = opts.emit ?? (() => {});
  const trim = new HeapTrimmer(128 << 20);
  const emit: Emit = (e) => {
    if (e.type === "item_progress") trim.progress(e.item, e.done_bytes);
    else if (e.type === "item_done" || e.type === "item_failed") trim.done(e.item);
    sink(e);
  };
  const inputs = parseInputs(opts.inputs);
  const template = opts.template ?? DEFAULT_TEMPLATE;
  checkTemplate(template);
  const store = await openProgressStore(opts.kv, { createParent: true, signal: opts.signal });
  let pool: AccountPool<TelegramAccount> | undefined;
  let media: MediaPost | undefined;
  try {
    const jobKey = JSON.stringify({
      inputs: opts.inputs,
      out: opts.out,
      template,
      filter: opts.filter ?? {},
    });
    const { job, resumed } = await store.startJob({
      command: "download",
      key: jobKey,
      args: `${opts.inputs.join(" ")} -> ${opts.out}`,
    });
    pool = await openAccountPool(opts.accounts.map(accountSpec), {
      workers: opts.workers ?? 0,
      connections: opts.connections ?? 8,
      verify: opts.verify ?? true,
      stallMs: opts.stallMs ?? 30_000,
      emit,
      signal: opts.signal,
    });
    const accounts = pool.accounts;
    const planned = await planItems(accounts[0].client, inputs, {
      filter: opts.filter ?? {},
      signal: opts.signal,
    });
    const totalBytes = planned.reduce((n, p) => n + ("file" in p ? p.file.size : 0), 0);
    await store.updateJob(job.id, { items: planned.length, bytes: totalBytes });
    emit({
      type: "start",
      command: "download",
      job: job.id,
      total_items: planned.length,
      total_bytes: totalBytes,
    });
    if (opts.media) media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal });
    const ledger = new KvPartLedger(store, job.id);
    const report: DownloadReport = {
      job: job.id,
      resumed,
      items: planned.length,
      done: 0,
      skipped: 0,
      failed: 0,
      bytes: 0,
      fetched_bytes: 0,
      elapsed_ms: 0,
    };
    // Files at once, and the parts in flight over all of them: a file-count limit alone left the
    // connections half used once a big file was done (36 vs 57 MB/s with 4 small files at a time).
    const limiter = new Limiter(opts.concurrency ?? 8);
    const inFlight = new Limiter(PARTS_IN_FLIGHT * accounts.length);
    let next = 0;
    const run = (p: PlannedItem) =>
      limiter.run(() => {
        const own = ownFirst(accounts, next++);
        return downloadItem(p, {
          out: opts.out,
          skipSame: opts.skipSame,
          partConcurrency: opts.partConcurrency,
          stallMs: opts.stallMs,
          signal: opts.signal,
          store,
          jobId: job.id,
          template,
          ledger,
          accounts: own,
          report,
          emit,
          media,
          inFlight,
        });
      });
    await Promise.all(planned.map(run));
    await media?.close();
    await store.updateJob(job.id, { state: report.failed > 0 ? "failed" : "done" });
    report.elapsed_ms = Date.now() - started;
    emit({
      type: "done",
      command: "download",
      exit_code: report.failed > 0 ? 3 : 0,
      items_done: report.done,
      items_failed: report.failed,
      items_skipped: report.skipped,
      bytes: report.bytes,
      elapsed_ms: report.elapsed_ms,
    });
    return report;
  } catch (err) {
    if (opts.signal?.aborted) {
      await _markStopped(store, opts.inputs, opts.out, template, opts.filter);
      throw new StoppedError("Stopped; run the same command again to resume");
    }
    throw err;
  } finally {
    media?.pool.terminate();
    await pool?.close();
    store.close();
  }
}

async function _markStopped(
  store: ProgressStore,
  inputs: string[],
  out: string,
  template: string,
  filter: DownloadFilter | undefined,
): Promise<void> {
  try {
    const key = JSON.stringify({ inputs, out, template, filter: filter ?? {} });
    const { job } = await store.startJob({ command: "download", key });
    await store.updateJob(job.id, { state: "stopped" });
  } catch {
    // the store may be what failed; the job stays "running" and still resumes
  }
}
