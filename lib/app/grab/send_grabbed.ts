/**
 * `grab --to CHAT`: each file of a link goes to the chat through upload's sendFile (MTProto, up to
 * the account's 2000/4000 MB), with the title and the source link as the caption and the page's
 * thumbnail (else a frame) attached; video and audio attributes from ffprobe. Each send is recorded
 * in the job's progress (the random_id before it, the message ids after), so a rerun sends nothing
 * twice; upload bytes are reported as upload_progress of the link; a failure is the link's
 * GrabError (kind upload), never a crash.
 */
import { basename } from "node:path";
import { toTgpipeError } from "../../core/errors.ts";
import { ExitCode } from "../../core/exit_codes.ts";
import { formatBytes } from "../../core/format.ts";
import type { AccountPool } from "../../engine/account_pool.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { localFileSource } from "../../engine/local_file_source.ts";
import { GrabError } from "../../grab/grab_error.ts";
import type { GrabbedFile } from "../../grab/grab_link.ts";
import type { Emit } from "../../progress/events.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { ADVICE, errorCategory } from "../upload/error_category.ts";
import { findMediaTools, type MediaTools } from "../upload/media_attributes.ts";
import { sendFile } from "../upload/send_file.ts";
import { type SendTarget, sendTarget } from "../upload/send_target.ts";
import type { GrabSender, SendStep } from "./grab_sender.ts";

/** What {@link openGrabSender} needs; lib/cli fills it from --to, --delete-after and the settings. */
export interface GrabSenderOptions {
  to: string;
  /** The accounts that send (the session's own first). */
  accounts: TelegramAccess[];
  /** Delete each file (and its thumbnail) once Telegram confirmed its message. */
  deleteAfter?: boolean;
  /** Connections per account; default 8. */
  connections?: number;
  stallMs?: number;
  /** Where ffprobe and ffmpeg are (the media settings). */
  tools: { ffmpeg?: string; ffprobe?: string; searchPath: string; cacheDir: string };
  emit: Emit;
  signal?: AbortSignal;
}

interface _Run {
  target: SendTarget;
  tools: MediaTools;
  tmpDir: string;
  deleteAfter: boolean;
  stallMs?: number;
}

// Telegram's caption limit (MEDIA_CAPTION_TOO_LONG past it)
const MAX_CAPTION = 1024;

/**
 * Connects the accounts (LoginRequiredError, exit 4, without a login) and returns the sender
 * (see module comment); the chat is resolved by `check`.
 */
export async function openGrabSender(o: GrabSenderOptions): Promise<GrabSender> {
  const specs = o.accounts.map(accountSpec);
  const tmpDir = await Deno.makeTempDir({ prefix: "tgpipe_grab_" });
  let pool: AccountPool<TelegramAccount> | undefined;
  try {
    pool = await openAccountPool(specs, {
      connections: o.connections ?? 8,
      stallMs: o.stallMs ?? 30_000,
      emit: o.emit,
      signal: o.signal,
    });
    const target = sendTarget(pool, o.to, { signal: o.signal });
    const tools = await findMediaTools(o.tools, o.signal);
    const run: _Run = { target, tools, tmpDir, deleteAfter: o.deleteAfter === true, stallMs: o.stallMs };
    const p = pool;
    let seq = 0;
    return {
      to: o.to,
      check: async () => void await target.peerOf(target.accounts[0]),
      send: (files, step) => _sendAll(files, run, step, () => seq++),
      sentBefore: async (files, step) => {
        for (const f of files) if (!await _sentRecord(step, f.path)) return false;
        return files.length > 0;
      },
      close: async () => {
        await p.close();
        await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
      },
    };
  } catch (err) {
    await pool?.close();
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    throw err;
  }
}

/** The caption: the title, then the source link (the title is cut so that the link always fits). */
export function grabCaption(f: Pick<GrabbedFile, "title" | "source_url">): string {
  const room = MAX_CAPTION - f.source_url.length - 1;
  const title = f.title.length > room ? `${f.title.slice(0, Math.max(0, room - 1))}…` : f.title;
  return `${title}\n${f.source_url}`.slice(0, MAX_CAPTION);
}

async function _sendAll(files: GrabbedFile[], r: _Run, c: SendStep, seq: () => number): Promise<number> {
  const ledger = new KvPartLedger(c.store, c.jobId);
  const total = files.reduce((n, f) => n + f.bytes, 0);
  let before = 0, count = 0;
  for (const f of files) {
    const done = await _sentRecord(c, f.path);
    if (done) {
      f.sent = { to: r.target.to, message_ids: done.message_ids };
    } else {
      c.emit({ type: "item_stage", item: c.item, stage: "upload", detail: r.target.to });
      const base = before;
      // the upload's bytes are the link's upload_progress: its item_progress counts the download
      const emit: Emit = (e) =>
        e.type === "item_progress"
          ? c.emit({
            type: "upload_progress",
            item: c.item,
            done_bytes: base + e.done_bytes,
            total_bytes: total,
          })
          : c.emit(e);
      f.sent = {
        to: r.target.to,
        message_ids: await _sendOne(f, r, { ...c, emit }, { ledger, index: seq() }),
      };
      count++;
    }
    before += f.bytes;
  }
  return count;
}

async function _sendOne(
  f: GrabbedFile,
  r: _Run,
  c: SendStep,
  o: { ledger: KvPartLedger; index: number },
): Promise<number[]> {
  try {
    const input = {
      id: `file:${f.path}`,
      source: await localFileSource(f.path),
      path: f.path,
      index: o.index,
    };
    const sent = await sendFile(input, {
      accounts: r.target.nextAccounts(),
      peerOf: r.target.peerOf,
      as: "auto",
      stallMs: r.stallMs,
      tools: r.tools,
      tmpDir: r.tmpDir,
      store: c.store,
      jobId: c.jobId,
      ledger: o.ledger,
      inFlight: r.target.inFlight,
      emit: c.emit,
      signal: c.signal,
    }, { caption: grabCaption(f), thumbFrom: f.thumbnail });
    const ids = sent.sent.messageIds;
    await c.store.setCursor(c.jobId, `grab-sent:${f.path}`, { message_ids: ids });
    // only now: Telegram confirmed the message (or had it already)
    if (r.deleteAfter) {
      await Deno.remove(f.path);
      if (f.thumbnail) await Deno.remove(f.thumbnail).catch(() => {});
    }
    return ids;
  } catch (err) {
    throw _uploadError(err, f, r.target.to, c);
  }
}

async function _sentRecord(
  c: Pick<SendStep, "store" | "jobId">,
  path: string,
): Promise<{ message_ids: number[] } | undefined> {
  const r = await c.store.getCursor(c.jobId, `grab-sent:${path}`) as { message_ids: number[] } | undefined;
  return r && Array.isArray(r.message_ids) ? r : undefined;
}

// a stop or a login that is gone stays what it is: the runner acts on those
function _uploadError(err: unknown, f: GrabbedFile, to: string, c: SendStep): unknown {
  if (c.signal.aborted || !(err instanceof Error)) return err;
  const e = toTgpipeError(err);
  if (e.exitCode === ExitCode.LOGIN || e.exitCode === ExitCode.STOPPED) return err;
  const category = errorCategory(err);
  const tooBig = category === "too_big" && typeof e.data.limit === "number";
  const hint = tooBig
    ? "Telegram's limit is 2000 MB (4000 MB with Premium): pick a lower --quality or another account"
    : ADVICE[category];
  // upload's own message suggests --split, which grab does not have
  const why = tooBig
    ? `${formatBytes(f.bytes)} is over the account's upload limit of ${formatBytes(e.data.limit as number)}`
    : e.message;
  return new GrabError(`Sending ${basename(f.path)} to ${to} failed: ${why}`, {
    kind: "upload",
    url: c.url,
    reason: category,
    hint,
    path: f.path,
    to,
    upload_code: e.code,
    ...(category === "too_big" ? { bytes: f.bytes } : {}),
  }, err);
}
