/**
 * One file of `tgpipe upload`, a step of the job runner: how it goes (photo, video, audio,
 * document), its thumbnail, the upload over the item's account (resumable, repaired on a missing
 * part), the message with the random_id recorded before it is sent, --delete-after once Telegram
 * confirmed the message, and the file's record for the diagnostics report.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import type { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { localFileSource } from "../../engine/local_file_source.ts";
import { uploadAndSend } from "../../engine/upload_and_send.ts";
import { randomId64, UploadCheckpoint } from "../../engine/upload_checkpoint.ts";
import { type UploadedFile, uploadFile } from "../../engine/upload_file.ts";
import { planUpload } from "../../engine/upload_plan.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import { sendUploaded } from "../../telegram/send_uploaded.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { renderCaption } from "./caption.ts";
import { type MediaTools, planMedia } from "./media_attributes.ts";
import type { UploadDiagnostics } from "./upload_report.ts";
import type { UploadInput } from "./upload_inputs.ts";

/** What one file's step needs from its run. */
export interface UploadItemContext {
  /** Every account, the one this item was given to first (it uploads and sends the file). */
  accounts: TelegramAccount[];
  /** The --to chat as the given account addresses it (resolved once per account). */
  peerOf(account: TelegramAccount): Promise<string>;
  as: "auto" | "document" | "media";
  caption?: string;
  count: number;
  deleteAfter?: boolean;
  partConcurrency?: number;
  stallMs?: number;
  tools: MediaTools;
  tmpDir: string;
  store: ProgressStore;
  jobId: string;
  ledger: KvPartLedger;
  inFlight: Limiter;
  diag: UploadDiagnostics;
  tally: { sent_bytes: number };
  emit: Emit;
  signal: AbortSignal;
  attempt: number;
}

/** Uploads and sends one file (see module comment); throws its problem for the runner to report. */
export async function uploadItem(
  input: UploadInput & { index: number },
  c: UploadItemContext,
): Promise<StepOutcome> {
  const t0 = performance.now();
  const src = input.source;
  const base = { item: input.id, name: src.name, source: src.origin, attempts: c.attempt };
  try {
    const r = await _send(input, c);
    const outcome = r.duplicate ? "duplicate" : "done";
    c.diag.record({ ...base, outcome, bytes: r.size, ms: Math.round(performance.now() - t0), ...r.extra });
    // only now: Telegram confirmed the message (or had it already)
    if (c.deleteAfter && input.path) await Deno.remove(input.path);
    return { bytes: r.size, name: src.name, path: src.origin };
  } catch (err) {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    throw err;
  }
}

async function _send(input: UploadInput & { index: number }, c: UploadItemContext) {
  const account = c.accounts[0];
  const src = input.source;
  const limits = await account.uploadLimits(c.signal);
  planUpload(src.size, limits); // too big for this account: fail before any probe or part
  const thumbPath = `${c.tmpDir}/${input.index}.thumb.jpg`;
  const media = await planMedia({ name: src.name, path: input.path, size: src.size, mime: src.mime }, c.as, {
    tools: c.tools,
    thumbPath,
    signal: c.signal,
  });
  const lanes = [account.uploadLane()];
  const parts = {
    item: input.id,
    limits,
    concurrency: c.partConcurrency ?? ((src.size ?? Infinity) > 10 << 20 ? 16 : 4),
    inFlight: c.inFlight,
    stallMs: c.stallMs,
    emit: c.emit,
    signal: c.signal,
  };
  try {
    const thumb = media.thumbPath
      ? await uploadFile(await localFileSource(media.thumbPath), lanes, { ...parts, emit: undefined })
      : undefined;
    // Keyed by account too: saved parts and random_ids are the account's own.
    const cp = new UploadCheckpoint(c.store, c.jobId, `${input.id}:${src.size}:${account.label}`, c.ledger);
    const randomId = await cp.randomId() ?? await _newRandomId(cp);
    const peer = await c.peerOf(account);
    const caption = c.caption === undefined
      ? ""
      : renderCaption(c.caption, { ...src, source: src.origin, index: input.index, count: c.count });
    const send = (file: UploadedFile) =>
      sendUploaded(account.client, peer, { ...media, file, caption, randomId, thumb }, c.signal);
    const r = await uploadAndSend(src, lanes, send, { ...parts, checkpoint: cp });
    c.tally.sent_bytes += r.file.sentBytes;
    return {
      size: r.file.size,
      duplicate: r.sent.duplicate,
      extra: { message_ids: r.sent.messageIds, resumed_parts: r.file.resumed.size },
    };
  } finally {
    if (media.thumbPath) await Deno.remove(media.thumbPath).catch(() => {});
  }
}

// recorded before the message is sent: a retry after a crash reuses it and cannot post twice
async function _newRandomId(cp: UploadCheckpoint): Promise<string> {
  const id = randomId64();
  await cp.setRandomId(id);
  return id;
}
