/**
 * One file of `tgpipe upload`, a step of the job runner: sent with sendFile (prepared, uploaded
 * resumably, sent once), deleted with --delete-after once Telegram confirmed the message, and
 * recorded for the diagnostics report.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import { itemCaption, type UploadItemContext } from "./prepare_file.ts";
import { sendFile } from "./send_file.ts";
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
    const r = await sendFile(input, c, { caption: itemCaption(input, c) });
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
  } catch (err) {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    throw err;
  }
}
