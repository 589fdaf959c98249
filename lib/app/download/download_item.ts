/**
 * One item of `tgpipe download`: the name from the template (kept inside --out), skip-same (by
 * document id, or by size and hashes), the engine download over the accounts' lanes, the index
 * entry for --skip-same, and the media post-processing once the file is in place.
 */
import { stat } from "node:fs/promises";
import { TgpipeError, toTgpipeError } from "../../core/errors.ts";
import type { Media } from "../../core/message.ts";
import { renderName } from "../../core/name_template.ts";
import { safeJoin } from "../../core/safe_join.ts";
import { downloadFile } from "../../engine/download_file.ts";
import type { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { VerifyError } from "../../engine/part_file.ts";
import { sameFile } from "../../engine/same_file.ts";
import { shareFile } from "../../engine/shared_file.ts";
import { fileLanes } from "../../engine/account_pool.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import type { PlannedItem } from "./download_plan.ts";
import type { MediaPost } from "../shared/media_post.ts";

/** The counters of a run that items update. */
export interface ItemTally {
  done: number;
  skipped: number;
  failed: number;
  bytes: number;
  fetched_bytes: number;
}

const BIG = 64 << 20;
const SMALL = 10 << 20;

/** What downloading one planned item needs from its run. */
export interface ItemContext {
  out: string;
  skipSame?: boolean;
  /** Parts in flight for this file; default by its size. */
  partConcurrency?: number;
  stallMs?: number;
  signal?: AbortSignal;
  store: ProgressStore;
  jobId: string;
  template: string;
  ledger: KvPartLedger;
  /** Every account, the one the item was given to first; its parts may go through any of them. */
  accounts: TelegramAccount[];
  report: ItemTally;
  emit: Emit;
  media?: MediaPost;
  inFlight: Limiter;
}

/**
 * Downloads one planned item (or skips it when already there, or reports its problem), counting
 * it in `c.report`; failures are reported (item_failed) and counted, not thrown, unless stopped.
 */
export async function downloadItem(p: PlannedItem, c: ItemContext): Promise<void> {
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
    dest = safeJoin(c.out, ..._name(c.template, f));
  } catch (err) {
    report.failed++;
    emit({ type: "item_failed", item: p.item, error: _wire(err) });
    return;
  }
  const name = dest.slice(c.out.length).replace(/^[/\\]/, "");
  // Skip-same: the file already in place (by id, or same size and hashes), or the same Telegram
  // file saved under another name (--skip-same).
  const same = await _alreadyHave(c, f, dest);
  if (same) {
    report.done++;
    report.skipped++;
    emit({ type: "item_done", item: p.item, name, bytes: f.size, path: same, skipped: true });
    await c.store.addProgress(c.jobId, { itemsDone: 1, bytesDone: f.size });
    // A re-run with --transcribe still transcribes files already there (the cache makes it cheap).
    await c.media?.processFile(same, { media: _media(f), item: p.item, signal: c.signal });
    return;
  }
  emit({ type: "item_start", item: p.item, name, total_bytes: f.size });
  // each part goes through an account that is not in a FLOOD_WAIT, this item's own one first
  const shared = shareFile(fileLanes(c.accounts, f), f);
  try {
    const res = await downloadFile(shared.source, dest, {
      item: p.item,
      // a big file alone keeps 8 connections busy (2 parts each); measured 31 vs 23 MB/s at 8 parts
      concurrency: c.partConcurrency ?? (f.size >= BIG ? 16 : f.size >= SMALL ? 8 : 4),
      ledger: c.ledger,
      signal: c.signal,
      emit,
      stallMs: c.stallMs ?? 30_000,
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
    if (c.signal?.aborted) throw err;
    report.failed++;
    emit({ type: "item_failed", item: p.item, error: _wire(err) });
    await c.store.addProgress(c.jobId, { itemsFailed: 1 });
    return;
  }
  // Outside the download's try: a media task failure is a warning, never a failed download.
  await c.media?.processFile(dest, { media: _media(f), item: p.item, signal: c.signal });
}

function _media(f: RemoteFile): Media {
  return { kind: f.mediaType, mime_type: f.mimeType, size: f.size };
}

async function _alreadyHave(c: ItemContext, f: RemoteFile, dest: string): Promise<string | undefined> {
  const known = await c.store.getCursor(_indexJob(c), f.key) as { path: string; size: number } | undefined;
  const knownOk = known && await stat(known.path).then((s) => s.size === known.size, () => false);
  // the same Telegram file (document/photo id) saved here before: no request at all
  if (knownOk && (known.path === dest || c.skipSame)) return known.path;
  const size = await stat(dest).then((s) => s.size, () => -1);
  if (size !== f.size) return undefined;
  // Same name and size but not known by id: only the SHA-256 ranges prove it is the same file;
  // when they differ it is downloaded to .part and replaces the old file only once verified.
  try {
    const hashes = await c.accounts[0].hashes(f, c.signal);
    if (!await sameFile(dest, f.size, hashes)) return undefined;
  } catch (err) {
    if (c.signal?.aborted) throw err;
    return undefined; // no hashes to compare: downloading again is the safe answer
  }
  await c.store.setCursor(_indexJob(c), f.key, { path: dest, size: f.size });
  return dest;
}

// Files already downloaded into an output directory, by Telegram file id, for --skip-same.
function _indexJob(c: ItemContext): string {
  return `download-index:${c.out}`;
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

function _isFsError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}

function _wire(err: unknown): { code: string; message: string; data?: Record<string, unknown> } {
  const e = err instanceof TgpipeError ? err : toTgpipeError(err);
  // node:fs errors carry their errno name (ENOSPC, EACCES): keep it as the code
  const errno = _isFsError(err) ? (err as { code: string }).code : undefined;
  return { code: errno ?? e.code, message: e.message, data: { ...e.data } };
}
