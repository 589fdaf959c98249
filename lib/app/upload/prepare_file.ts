/**
 * What one file needs before its parts go up: an account whose limit takes it (too big for
 * every account fails before any probe), how it is sent (--as, attributes, thumbnail uploaded), its resume checkpoint and
 * its random_id, recorded before any send so a retried send cannot post it twice.
 */
import type { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { localFileSource } from "../../engine/local_file_source.ts";
import {
  loadSendRecord,
  randomId64,
  saveSendRecord,
  UploadCheckpoint,
} from "../../engine/upload_checkpoint.ts";
import { type UploadedFile, uploadFile, type UploadFileOptions } from "../../engine/upload_file.ts";
import type { UploadLane } from "../../engine/upload_lane.ts";
import { planUpload } from "../../engine/upload_plan.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { renderCaption } from "./caption.ts";
import { pickAccount } from "./pick_account.ts";
import { type MediaPlan, type MediaTools, planMedia } from "./media_attributes.ts";
import type { UploadInput } from "./upload_inputs.ts";
import type { UploadDiagnostics } from "./upload_report.ts";

/** What sending one file needs from its run (upload's files, grab --to's results). */
export interface SendContext {
  /**
   * Every account, the one this file was given to first: it uploads and sends the file, unless
   * the file is over its limit and another account's takes it.
   */
  accounts: TelegramAccount[];
  /** The chat as the given account addresses it (resolved once per account). */
  peerOf(account: TelegramAccount): Promise<string>;
  as: "auto" | "document" | "media";
  partConcurrency?: number;
  stallMs?: number;
  tools: MediaTools;
  tmpDir: string;
  store: ProgressStore;
  jobId: string;
  ledger: KvPartLedger;
  inFlight: Limiter;
  emit: Emit;
  signal: AbortSignal;
}

/** What a file's step of `tgpipe upload` needs from its run. */
export interface UploadItemContext extends SendContext {
  /** The --caption template. */
  caption?: string;
  count: number;
  deleteAfter?: boolean;
  /** --split: a local file over the limit is split (upload_split.ts) instead of failing too_big. */
  split?: boolean;
  diag: UploadDiagnostics;
  tally: { sent_bytes: number };
  attempt: number;
}

/** How one file is shown in the chat. */
export interface SendAs {
  caption: string;
  /** An image to make its thumbnail from (else a frame of a video; audio gets none). */
  thumbFrom?: string;
}

/** A file ready to upload: its account, how it goes, its lanes and part options, its records. */
export interface PreparedFile {
  /** The account that uploads and sends it (an earlier attempt's, else the first whose limit takes it). */
  account: TelegramAccount;
  media: MediaPlan;
  thumb?: UploadedFile;
  lanes: UploadLane[];
  parts: UploadFileOptions;
  caption: string;
  /**
   * The random_id of its message: an earlier attempt's for this account, else a new one recorded
   * now. Called right before the send (a failure before it leaves the file free to move on).
   */
  randomId(): Promise<string>;
  /** Deletes the thumbnail made for it. */
  cleanup(): Promise<void>;
}

/** Prepares `input` for the item's account (see module comment). */
export async function prepareFile(
  input: UploadInput & { index: number },
  c: SendContext,
  how: SendAs,
): Promise<PreparedFile> {
  const src = input.source;
  // a send recorded by an earlier attempt stays with its account: random_ids are per account
  const sent = await loadSendRecord(c.store, c.jobId, input.id);
  const recorded = c.accounts.find((a) => a.label === sent?.account);
  // else the first account whose own limit takes it (the item's own first)
  const { account, limits } = recorded
    ? { account: recorded, limits: await recorded.uploadLimits(c.signal) }
    : await pickAccount(c.accounts, [src.size], c.signal);
  planUpload(src.size, limits); // too big: fail before any probe or part
  const media = await planMedia({ name: src.name, path: input.path, size: src.size, mime: src.mime }, c.as, {
    tools: c.tools,
    thumbPath: `${c.tmpDir}/${input.index}.thumb.jpg`,
    thumbFrom: how.thumbFrom,
    signal: c.signal,
  });
  const cleanup = async () => {
    if (media.thumbPath) await Deno.remove(media.thumbPath).catch(() => {});
  };
  try {
    const lanes = [account.uploadLane()];
    // Keyed by account too: saved parts are the account's own.
    const checkpoint = new UploadCheckpoint(
      c.store,
      c.jobId,
      `${input.id}:${src.size}:${account.label}`,
      c.ledger,
    );
    const parts: UploadFileOptions = {
      item: input.id,
      limits,
      concurrency: c.partConcurrency ?? ((src.size ?? Infinity) > 10 << 20 ? 16 : 4),
      inFlight: c.inFlight,
      stallMs: c.stallMs,
      emit: c.emit,
      signal: c.signal,
      checkpoint,
    };
    const thumb = media.thumbPath
      ? await uploadFile(await localFileSource(media.thumbPath), lanes, {
        ...parts,
        checkpoint: undefined,
        emit: undefined,
      })
      : undefined;
    let id: Promise<string> | undefined;
    const randomId = () =>
      id ??= sent?.account === account.label
        ? Promise.resolve(sent.randomId)
        : _newRandomId(c, input.id, account.label);
    return { account, media, thumb, lanes, parts, caption: how.caption, randomId, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

// recorded before the message is sent: a retry after a crash reuses it and cannot post twice
async function _newRandomId(c: SendContext, item: string, account: string): Promise<string> {
  const randomId = randomId64();
  await saveSendRecord(c.store, c.jobId, item, { randomId, account });
  return randomId;
}

/** The --caption of one of upload's files ("" without one). */
export function itemCaption(input: UploadInput & { index: number }, c: UploadItemContext): string {
  const src = input.source;
  return c.caption === undefined
    ? ""
    : renderCaption(c.caption, { ...src, source: src.origin, index: input.index, count: c.count });
}
