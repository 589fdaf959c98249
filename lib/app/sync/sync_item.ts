/**
 * One file of `tgpipe sync`: already on the remote (same size) -> nothing to do; else download it
 * into --temp under a disk reservation (the download use case's step, unchanged), upload it,
 * verify it (size, and a hash where the remote has one), delete the local copy, then give the
 * bytes back. A file bigger than the whole budget goes from Telegram straight into `rclone rcat`.
 */
import { TgpipeError } from "../../core/errors.ts";
import { fileLanes } from "../../engine/account_pool.ts";
import type { DiskBudget, Reservation } from "../../engine/disk_budget.ts";
import type { StepOutcome } from "../../engine/job_types.ts";
import type { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { retry } from "../../engine/retry.ts";
import { shareFile } from "../../engine/shared_file.ts";
import type { Emit } from "../../progress/events.ts";
import type { Remote, RemoteInfo } from "../../remote/remote.ts";
import { isTransientRemoteError } from "../../remote/remote_errors.ts";
import { type Verified, verifyUpload } from "../../remote/verify_upload.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { downloadItem, type ItemContext } from "../download/download_item.ts";
import { streamFile } from "./stream_file.ts";
import { messageIdOf, type SyncState } from "./sync_state.ts";

/** A planned file of a sync: where it goes locally (dest, in --temp) and on the remote. */
export interface SyncPlanned {
  id: string;
  item: string;
  file: RemoteFile;
  dest: string;
  remotePath: string;
  bytes: number;
  /** The template gave a name that leaves the folder: this item fails with it. */
  error?: RangeError;
}

/** What every file of a run shares. */
export interface SyncContext {
  remote: Remote;
  info: RemoteInfo;
  /** Sizes of the files on the remote when the run began, by path. */
  onRemote: Map<string, number>;
  budget: DiskBudget;
  downloads: Limiter;
  uploads: Limiter;
  state: SyncState;
  keepLocal: boolean;
  /** Upload attempts per file (transient failures, with backoff). */
  uploadAttempts: number;
  /** The download use case's item context, without the per-file and per-job fields. */
  download: Omit<ItemContext, "signal" | "accounts" | "jobId" | "ledger">;
  emit: Emit;
}

/** What one step gets from the runner: its stop signal, its accounts in order, the job's part ledger. */
export interface SyncRun {
  signal: AbortSignal;
  accounts: TelegramAccount[];
  jobId: string;
  ledger: KvPartLedger;
}

/** Syncs one file (see module comment); the step of the job runner. */
export async function syncItem(
  p: SyncPlanned,
  c: SyncContext,
  run: SyncRun,
): Promise<StepOutcome> {
  if (p.error) throw p.error;
  const size = p.file.size;
  const id = messageIdOf(p.item);
  if (c.onRemote.get(p.remotePath) === size) {
    c.emit({ type: "sync_stage", item: p.item, stage: "on_remote", bytes: size, path: p.remotePath });
    await c.state.finished(id);
    return { skipped: true, bytes: size, path: p.remotePath, name: p.remotePath };
  }
  if (!c.budget.fits(size)) return await _stream(p, c, run);
  const held = await c.downloads.run(() => _download(p, c, run));
  let kept = false;
  try {
    const v = await c.uploads.run(() => _upload(p, c, run.signal));
    c.emit({
      type: "sync_stage",
      item: p.item,
      stage: "uploaded",
      bytes: size,
      path: p.remotePath,
      hash: v.hash,
    });
    if (c.keepLocal) kept = true;
    else {
      await Deno.remove(p.dest);
      c.emit({ type: "sync_stage", item: p.item, stage: "deleted", bytes: size });
    }
  } catch (err) {
    // the local copy goes too (also with --keep-local: it was not uploaded): its bytes are given
    // back now, and the next attempt starts over
    await Deno.remove(p.dest).catch(() => {});
    throw err;
  } finally {
    if (kept) held.keep();
    else held.release();
  }
  await c.state.finished(id, size);
  return { bytes: size, path: p.remotePath, name: p.remotePath };
}

/** Reserves the file's size, then downloads it into --temp; nothing stays reserved on failure. */
async function _download(
  p: SyncPlanned,
  c: SyncContext,
  run: SyncRun,
): Promise<Reservation> {
  const held = await c.budget.reserve(p.file.size, run.signal);
  try {
    await downloadItem(p, { ...c.download, ...run });
  } catch (err) {
    await Deno.remove(`${p.dest}.part`).catch(() => {});
    await Deno.remove(p.dest).catch(() => {});
    held.release();
    throw err;
  }
  c.state.downloaded();
  c.emit({ type: "sync_stage", item: p.item, stage: "downloaded", bytes: p.file.size });
  return held;
}

/** Uploads and verifies, again with backoff while the failure is transient (network, 5xx, rate limit). */
async function _upload(p: SyncPlanned, c: SyncContext, signal: AbortSignal): Promise<Verified> {
  return await retry(async () => {
    const onProgress = (done: number) =>
      c.emit({ type: "upload_progress", item: p.item, done_bytes: done, total_bytes: p.file.size });
    await c.remote.upload(p.dest, p.remotePath, { signal, onProgress });
    return await verifyUpload(
      c.remote,
      c.info,
      { path: p.remotePath, size: p.file.size, local: p.dest },
      signal,
    );
  }, {
    attempts: c.uploadAttempts,
    baseMs: 1000,
    maxMs: 60_000,
    signal,
    isRetryable: isTransientRemoteError,
    onRetry: (err, attempt, delay) => {
      const e = err as TgpipeError;
      c.emit({
        type: "retry",
        item: p.item,
        attempt: attempt + 1,
        delay_ms: delay,
        error: { code: e.code ?? "ERROR", message: e.message },
      });
    },
  });
}

/** A file bigger than --max-disk: Telegram straight into rcat, verified by the digests of the stream. */
async function _stream(
  p: SyncPlanned,
  c: SyncContext,
  run: SyncRun,
): Promise<StepOutcome> {
  const size = p.file.size;
  if (!c.info.canStream) {
    throw new TgpipeError(
      `${p.remotePath} (${size} bytes) is larger than --max-disk and ${c.remote.target} cannot take a stream`,
      { code: "TOO_BIG_FOR_DISK", data: { size, max_disk: c.budget.limit } },
    );
  }
  const shared = shareFile(fileLanes(run.accounts, p.file), p.file);
  const fs = streamFile(shared.source, {
    item: p.item,
    hashes: c.info.hashes.slice(0, 1),
    signal: run.signal,
    emit: c.emit,
  });
  await c.uploads.run(() => c.remote.rcat(fs.stream, p.remotePath, { signal: run.signal, size }));
  const v = await verifyUpload(
    c.remote,
    c.info,
    { path: p.remotePath, size, digests: fs.digests },
    run.signal,
  );
  c.emit({
    type: "sync_stage",
    item: p.item,
    stage: "streamed",
    bytes: size,
    path: p.remotePath,
    hash: v.hash,
  });
  await c.state.finished(messageIdOf(p.item), size);
  return { bytes: size, path: p.remotePath, name: p.remotePath };
}
