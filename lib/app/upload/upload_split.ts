/**
 * `upload --split` for one local file over the account's limit: cut with splitForUpload, then
 * each piece goes through the same steps as a file (prepared, uploaded with its own resume
 * records under a stable id, sent once): video pieces as albums of up to 10, other files' pieces
 * in order with the manifest last, which `tgpipe download` uses to put the original back.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import { largestUpload } from "./pick_account.ts";
import { pieceContext } from "./piece_context.ts";
import { ALBUM_MAX } from "./plan_items.ts";
import type { UploadItemContext } from "./prepare_file.ts";
import { splitForUpload } from "./split_for_upload.ts";
import { uploadAlbum } from "./upload_album.ts";
import type { UploadInput } from "./upload_inputs.ts";
import { uploadItem } from "./upload_item.ts";
import { splitStream } from "./upload_stream_split.ts";
import { UploadDiagnostics } from "./upload_report.ts";

/** True when `input` is a local file over the limit of every account (one of them may take it whole). */
export async function needsSplit(input: UploadInput, c: UploadItemContext): Promise<boolean> {
  if (!c.split || !input.path || input.source.size === undefined) return false;
  return input.source.size > await largestUpload(c.accounts, c.signal);
}

/** Splits `input` and sends its pieces (see module comment); cleans the cut pieces up after. */
export async function uploadSplit(
  input: UploadInput & { index: number },
  c: UploadItemContext,
): Promise<StepOutcome> {
  const t0 = performance.now();
  const base = { item: input.id, name: input.source.name, source: input.source.origin, attempts: c.attempt };
  let split: Awaited<ReturnType<typeof splitForUpload>>;
  let limit: number;
  try {
    // the fewest pieces: each one as big as the largest limit (that account sends them)
    limit = await largestUpload(c.accounts, c.signal);
    split = await splitForUpload(input.path!, {
      limitBytes: limit,
      cacheDir: c.tmpDir,
      ffmpeg: c.tools.ffmpeg,
      ffprobe: c.tools.ffprobe,
      name: input.source.name,
      signal: c.signal,
    });
  } catch (err) {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    throw err;
  }
  // the report lists the original, not its pieces: their records are summed into its own
  const pieceDiag = new UploadDiagnostics();
  try {
    if (split.warning) {
      c.emit({ type: "warning", code: "SPLIT_GENERIC", message: split.warning, item: input.id });
    }
    // pieces are never deleted nor split again; the original goes once every piece is sent.
    // One account whose limit takes them sends them all (one chat for --to me), unless an earlier
    // attempt recorded a piece's send with another one.
    const pc = await pieceContext(c, input.id, { limit, size: input.source.size, diag: pieceDiag });
    const pieces = split.sources.map((source, i) => ({
      // the cut is deterministic: the same ids find the same pieces' records on a rerun
      id: `${input.id}#${String(i + 1).padStart(3, "0")}`,
      source,
      // video pieces are files of their own: probed for attributes and a thumbnail
      path: split.kind === "video" ? source.origin : undefined,
      index: input.index,
    }));
    if (split.kind === "video") {
      for (let i = 0; i < pieces.length; i += ALBUM_MAX) {
        await uploadAlbum(pieces.slice(i, i + ALBUM_MAX), pc);
      }
    } else {
      for (const p of pieces) await uploadItem(p, pc);
    }
    const recs = pieceDiag.records();
    c.diag.record({
      ...base,
      outcome: recs.every((r) => r.outcome === "duplicate") ? "duplicate" : "done",
      bytes: input.source.size!,
      ms: Math.round(performance.now() - t0),
      message_ids: recs.flatMap((r) => r.message_ids ?? []),
      resumed_parts: recs.reduce((n, r) => n + (r.resumed_parts ?? 0), 0),
    });
    if (c.deleteAfter) await Deno.remove(input.path!);
    return { bytes: input.source.size, name: input.source.name, path: input.source.origin };
  } catch (err) {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    throw err;
  } finally {
    await split.cleanup();
  }
}

/**
 * One job item's files: with --split those over the limit (and URLs or stdin of unknown size) are
 * split and sent first, the rest go as the item would without it (an album, or one file).
 */
export async function uploadMembers(
  members: Array<UploadInput & { index: number }>,
  c: UploadItemContext,
  album: boolean,
): Promise<StepOutcome> {
  const whole: typeof members = [];
  let bytes = 0;
  for (const m of members) {
    if (await needsSplit(m, c)) bytes += (await uploadSplit(m, c)).bytes ?? 0;
    else if (c.split && !m.path) {
      // a URL or stdin: split as it streams when too big or of unknown size
      const r = await splitStream(m, c);
      if ("source" in r) whole.push(r);
      else bytes += r.bytes ?? 0;
    } else whole.push(m);
  }
  if (whole.length === 0) return { bytes, name: members[0].source.name, path: members[0].source.origin };
  const r = album ? await uploadAlbum(whole, c) : await uploadItem(whole[0], c);
  return { ...r, bytes: bytes + (r.bytes ?? 0) };
}
