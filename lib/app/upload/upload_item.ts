/**
 * One file of `tgpipe upload`, a step of the job runner: prepared (how it goes, thumbnail,
 * checkpoint, random_id), uploaded over the item's account (resumable, repaired on a missing
 * part), sent, deleted with --delete-after once Telegram confirmed the message, and recorded for
 * the diagnostics report.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import { uploadAndSend } from "../../engine/upload_and_send.ts";
import type { UploadedFile } from "../../engine/upload_file.ts";
import { sendUploaded } from "../../telegram/send_uploaded.ts";
import { prepareFile, type UploadItemContext } from "./prepare_file.ts";
import { openInput, type UploadInput } from "./upload_inputs.ts";

export type { UploadItemContext } from "./prepare_file.ts";

/** Uploads and sends one file (see module comment); throws its problem for the runner to report. */
export async function uploadItem(
  given: UploadInput & { index: number },
  c: UploadItemContext,
): Promise<StepOutcome> {
  const t0 = performance.now();
  const base = { item: given.id, name: given.source.name, source: given.source.origin, attempts: c.attempt };
  try {
    const input = await openInput(given, c.signal);
    const src = input.source;
    base.name = src.name;
    const p = await prepareFile(input, c);
    try {
      const peer = await c.peerOf(p.account);
      const send = async (file: UploadedFile) => {
        const randomId = await p.randomId();
        const m = { ...p.media, file, caption: p.caption, randomId, thumb: p.thumb };
        return await sendUploaded(p.account.client, peer, m, c.signal);
      };
      const r = await uploadAndSend(src, p.lanes, send, p.parts);
      c.tally.sent_bytes += r.file.sentBytes;
      c.diag.record({
        ...base,
        outcome: r.sent.duplicate ? "duplicate" : "done",
        bytes: r.file.size,
        ms: Math.round(performance.now() - t0),
        message_ids: r.sent.messageIds,
        resumed_parts: r.file.resumed.size,
      });
      // only now: Telegram confirmed the message (or had it already)
      if (c.deleteAfter && input.path) await Deno.remove(input.path);
      return { bytes: r.file.size, name: src.name, path: src.origin };
    } finally {
      await p.cleanup();
    }
  } catch (err) {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    throw err;
  }
}
