/**
 * `tgpipe download`: plans the files (links, ranges, chats with filters), then downloads them with
 * the engine: several files at once, each in parallel parts over a pool of connections per DC (or
 * over fetch workers), resumable through the KV progress store, verified, renamed into place.
 */
import { stat } from "node:fs/promises";
import { StoppedError, TgpipeError, toTgpipeError } from "../core/errors.ts";
import { HeapTrimmer } from "../core/heap_trim.ts";
import { checkTemplate, DEFAULT_TEMPLATE, renderName } from "../core/name_template.ts";
import { safeJoin } from "../core/safe_join.ts";
import { downloadFile } from "../engine/download_file.ts";
import { VerifyError } from "../engine/part_file.ts";
import { sameFile } from "../engine/same_file.ts";
import { shareFile } from "../engine/shared_file.ts";
import { KvPartLedger } from "../engine/kv_part_ledger.ts";
import { Limiter } from "../engine/limiter.ts";
import type { Media } from "../core/message.ts";
import type { Emit } from "../progress/events.ts";
import { openProgressStore } from "../store/kv_store.ts";
import type { ProgressStore } from "../store/progress_store.ts";
import type { RemoteFile } from "../telegram/remote_file.ts";
import { type DownloadFilter, parseInputs, planItems, type PlannedItem } from "./download_plan.ts";
import { type Fetcher, fileLanes, openFetchers } from "./download_fetchers.ts";
import type { TelegramAccess } from "./telegram_access.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "./media_post.ts";

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

const BIG = 64 << 20;
const SMALL = 10 << 20;
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
  let fetchers: Fetcher[] = [];
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
    fetchers = await openFetchers(opts.accounts, {
      workers: opts.workers ?? 0,
      connections: opts.connections ?? 8,
      verify: opts.verify ?? true,
      stallMs: opts.stallMs ?? 30_000,
      emit,
      signal: opts.signal,
    });
    const planned = await planItems(fetchers[0].client, inputs, {
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
    const inFlight = new Limiter(PARTS_IN_FLIGHT * fetchers.length);
    let next = 0;
    const run = (p: PlannedItem) =>
      limiter.run(() => {
        const own = _ownFirst(fetchers, next++);
        return _one(p, {
          opts,
          store,
          jobId: job.id,
          template,
          ledger,
          fetchers: own,
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
    await Promise.all(fetchers.map((f) => f.close()));
    store.close();
  }
}

interface _Ctx {
  opts: DownloadOptions;
  store: ProgressStore;
  jobId: string;
  template: string;
  ledger: KvPartLedger;
  /** Every account, the one the item was given to first; its parts may go through any of them. */
  fetchers: Fetcher[];
  report: DownloadReport;
  emit: Emit;
  media?: MediaPost;
  inFlight: Limiter;
}

async function _one(p: PlannedItem, c: _Ctx): Promise<void> {
  const { emit, report } = c;
  if ("problem" in p) {
    report.failed++;
    emit({ type: "item_failed", item: p.item, error: p.problem });
    await c.store.addProgress(c.jobId, { itemsFailed: 1 });
    return;
  }
  const f = p.file;
  let dest: string;
  try {
    dest = safeJoin(c.opts.out, ..._name(c.template, f));
  } catch (err) {
    report.failed++;
    emit({ type: "item_failed", item: p.item, error: _wire(err) });
    return;
  }
  const name = dest.slice(c.opts.out.length).replace(/^[/\\]/, "");
  // Skip-same: the file already in place (by id, or same size and hashes), or the same Telegram
  // file saved under another name (--skip-same).
  const same = await _alreadyHave(c, f, dest);
  if (same) {
    report.done++;
    report.skipped++;
    emit({ type: "item_done", item: p.item, name, bytes: f.size, path: same, skipped: true });
    await c.store.addProgress(c.jobId, { itemsDone: 1, bytesDone: f.size });
    // A re-run with --transcribe still transcribes files already there (the cache makes it cheap).
    await c.media?.processFile(same, { media: _media(f), item: p.item, signal: c.opts.signal });
    return;
  }
  emit({ type: "item_start", item: p.item, name, total_bytes: f.size });
  // each part goes through an account that is not in a FLOOD_WAIT, this item's own one first
  const shared = shareFile(fileLanes(c.fetchers, f), f);
  try {
    const res = await downloadFile(shared.source, dest, {
      item: p.item,
      // a big file alone keeps 8 connections busy (2 parts each); measured 31 vs 23 MB/s at 8 parts
      concurrency: c.opts.partConcurrency ?? (f.size >= BIG ? 16 : f.size >= SMALL ? 8 : 4),
      ledger: c.ledger,
      signal: c.opts.signal,
      emit,
      stallMs: c.opts.stallMs ?? 30_000,
      partWriter: shared.partWriter,
      inFlight: c.inFlight,
      // disk errors (ENOSPC, EACCES) and bad files do not get better by retrying
      isRetryable: (e) => !(e instanceof VerifyError) && !_isFsError(e),
    });
    report.done++;
    report.bytes += res.bytes;
    report.fetched_bytes += res.fetchedBytes;
    await c.store.setCursor(_indexJob(c), f.key, { path: dest, size: f.size });
    await c.store.addProgress(c.jobId, { itemsDone: 1, bytesDone: res.bytes });
    emit({ type: "item_done", item: p.item, name, bytes: res.bytes, path: dest });
  } catch (err) {
    if (c.opts.signal?.aborted) throw err;
    report.failed++;
    emit({ type: "item_failed", item: p.item, error: _wire(err) });
    await c.store.addProgress(c.jobId, { itemsFailed: 1 });
    return;
  }
  // Outside the download's try: a media task failure is a warning, never a failed download.
  await c.media?.processFile(dest, { media: _media(f), item: p.item, signal: c.opts.signal });
}

function _media(f: RemoteFile): Media {
  return { kind: f.mediaType, mime_type: f.mimeType, size: f.size };
}

async function _alreadyHave(c: _Ctx, f: RemoteFile, dest: string): Promise<string | undefined> {
  const known = await c.store.getCursor(_indexJob(c), f.key) as { path: string; size: number } | undefined;
  const knownOk = known && await stat(known.path).then((s) => s.size === known.size, () => false);
  // the same Telegram file (document/photo id) saved here before: no request at all
  if (knownOk && (known.path === dest || c.opts.skipSame)) return known.path;
  const size = await stat(dest).then((s) => s.size, () => -1);
  if (size !== f.size) return undefined;
  // Same name and size but not known by id: only the SHA-256 ranges prove it is the same file;
  // when they differ it is downloaded to .part and replaces the old file only once verified.
  try {
    const hashes = await c.fetchers[0].hashes(f, c.opts.signal);
    if (!await sameFile(dest, f.size, hashes)) return undefined;
  } catch (err) {
    if (c.opts.signal?.aborted) throw err;
    return undefined; // no hashes to compare: downloading again is the safe answer
  }
  await c.store.setCursor(_indexJob(c), f.key, { path: dest, size: f.size });
  return dest;
}

// Files already downloaded into an output directory, by Telegram file id, for --skip-same.
function _indexJob(c: _Ctx): string {
  return `download-index:${c.opts.out}`;
}

function _name(template: string, f: RemoteFile): string[] {
  return renderName(template, {
    chat: f.chatTitle,
    chatId: f.chatId,
    chatUsername: f.chatUsername,
    id: f.messageId,
    date: f.date,
    fileName: f.fileName,
    mimeType: f.mimeType,
    type: f.mediaType,
    topic: f.topicId,
    fileId: f.location.id,
    size: f.size,
  });
}

function _ownFirst(list: Fetcher[], n: number): Fetcher[] {
  // an account in a flood wait gets no new files while another one is free
  const now = Date.now();
  const free = list.filter((f) => f.pausedUntil() <= now);
  const pool = free.length > 0 ? free : list;
  const own = pool[n % pool.length];
  return [own, ...list.filter((f) => f !== own)];
}

function _isFsError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}

function _wire(err: unknown): { code: string; message: string; data?: Record<string, unknown> } {
  const e = err instanceof TgpipeError ? err : toTgpipeError(err);
  const code = (err as { code?: unknown })?.code;
  // node:fs errors carry their errno name (ENOSPC, EACCES): keep it as the code
  const errno = typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
  return { code: errno ?? e.code, message: e.message, data: { ...e.data } };
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
