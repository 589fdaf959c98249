/**
 * One item of `tgpipe download`: its destination (assigned over the plan), skip-same (by
 * document id, or by size and hashes), the engine download over the accounts' lanes, the index
 * entry for --skip-same, and the media post-processing once the file is in place.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { errnoCode, TgpipeError } from "../../core/errors.ts";
import type { Media } from "../../core/message.ts";
import { downloadFile } from "../../engine/download_file.ts";
import type { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { Limiter } from "../../engine/limiter.ts";
import type { StepOutcome } from "../../engine/job_types.ts";
import { VerifyError } from "../../engine/part_file.ts";
import { sameFile } from "../../engine/same_file.ts";
import { shareFile } from "../../engine/shared_file.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { fileLanes } from "../../engine/account_pool.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import type { PlannedItem } from "./download_plan.ts";
import type { MediaPost } from "../shared/media_post.ts";

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
  ledger: KvPartLedger;
  /** Every account, the one the item was given to first; its parts may go through any of them. */
  accounts: TelegramAccount[];
  /** Bytes fetched from Telegram in this run (resumed parts and skipped files not counted). */
  tally: { fetched_bytes: number };
  emit: Emit;
  media?: MediaPost;
  /** A file that could not be transcribed fails its item (`transcribe <chat>`). */
  requireTranscript?: boolean;
  inFlight: Limiter;
}

/**
 * Downloads one planned item, or finds it already there (skipped); a step of the job runner,
 * which reports the outcome. Throws the item's problem (a message without a file, a bad name,
 * a failed transfer) for the runner to report as item_failed.
 */
export async function downloadItem(
  p: PlannedItem & { dest?: string | RangeError },
  c: ItemContext,
): Promise<StepOutcome> {
  if ("problem" in p) throw new TgpipeError(p.problem.message, { code: p.problem.code });
  const f = p.file;
  // unique per job, assigned over the whole plan before any transfer (assign_destinations.ts)
  const dest = p.dest;
  if (dest === undefined || dest instanceof RangeError) throw dest ?? new RangeError("No destination");
  const name = dest.slice(c.out.length).replace(/^[/\\]/, "");
  // Skip-same: the file already in place (by id, or same size and hashes), or the same Telegram
  // file saved under another name (--skip-same).
  const same = await _alreadyHave(c, f, dest);
  if (same) {
    // A re-run with --transcribe still transcribes files already there (the cache makes it cheap).
    await _post(c, f, same, p.item);
    return { name, bytes: f.size, path: same, skipped: true };
  }
  // each part goes through an account that is not in a FLOOD_WAIT, this item's own one first
  const shared = shareFile(fileLanes(c.accounts, f), f);
  const res = await downloadFile(shared.source, dest, {
    item: p.item,
    // a big file alone keeps 8 connections busy (2 parts each); measured 31 vs 23 MB/s at 8 parts
    concurrency: c.partConcurrency ?? (f.size >= BIG ? 16 : f.size >= SMALL ? 8 : 4),
    ledger: c.ledger,
    signal: c.signal,
    emit: c.emit,
    stallMs: c.stallMs ?? 30_000,
    partWriter: shared.partWriter,
    inFlight: c.inFlight,
    // disk errors (ENOSPC, EACCES) and bad files do not get better by retrying
    isRetryable: (e) => !(e instanceof VerifyError) && errnoCode(e) === undefined,
  });
  c.tally.fetched_bytes += res.fetchedBytes;
  await c.store.setCursor(_indexJob(c), f.key, { path: dest, size: f.size });
  await _post(c, f, dest, p.item);
  return { name, bytes: res.bytes, path: dest };
}

/**
 * Media tasks once the file is in place: their failure is a warning, never a failed download,
 * except that `transcribe <chat>` (requireTranscript) counts a file it could not transcribe as failed.
 */
async function _post(c: ItemContext, f: RemoteFile, path: string, item: string): Promise<void> {
  if (!c.media) return;
  const media = _media(f);
  await c.media.processFile(path, { media, item, signal: c.signal });
  if (c.requireTranscript && media.transcript === undefined) {
    throw new TgpipeError(`Downloaded but not transcribed: ${path} (see the warning before)`, {
      code: "NOT_TRANSCRIBED",
    });
  }
}

function _media(f: RemoteFile): Media {
  return { kind: f.mediaType, mime_type: f.mimeType, size: f.size };
}

async function _alreadyHave(c: ItemContext, f: RemoteFile, dest: string): Promise<string | undefined> {
  const known = await c.store.getCursor(_indexJob(c), f.key) as { path: string; size: number } | undefined;
  const knownOk = known && await stat(known.path).then((s) => s.size === known.size, () => false);
  // the same Telegram file (document/photo id) saved here before: no request at all
  if (knownOk && known.path === dest) return dest;
  // --skip-same: saved under another name (an older --template): linked or copied into place,
  // so what is reported at `dest` is there
  if (knownOk && c.skipSame) {
    await _placeCopy(known.path, dest, known.size);
    await c.store.setCursor(_indexJob(c), f.key, { path: dest, size: f.size });
    return dest;
  }
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

/** Puts a copy of `from` at `to`: a hard link where the file system allows, else a verified copy. */
async function _placeCopy(from: string, to: string, size: number): Promise<void> {
  await Deno.mkdir(dirname(to), { recursive: true });
  const part = `${to}.part`;
  try {
    await Deno.link(from, part).catch(() => Deno.copyFile(from, part));
    if ((await Deno.stat(part)).size !== size) throw new Error(`Short copy of ${from}`);
    await Deno.rename(part, to);
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
}
