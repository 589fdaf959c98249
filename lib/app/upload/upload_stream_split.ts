/**
 * `upload --split` for a URL or stdin: read once, in order, so it is cut as it streams
 * (streamPieces: no temp copy) when its size is over every account's limit or not known up front
 * (whether it fits shows only at its end). Pieces `name.001, ...` and then the manifest go through
 * the same steps as a file, all through one account whose limit takes a piece, under the ids
 * `<id>#001, ...` like a local file's split.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import { streamPieces } from "../../engine/stream_pieces.ts";
import { largestUpload } from "./pick_account.ts";
import { pieceContext } from "./piece_context.ts";
import type { UploadItemContext } from "./prepare_file.ts";
import { openInput, type UploadInput } from "./upload_inputs.ts";
import { uploadItem } from "./upload_item.ts";
import { UploadDiagnostics } from "./upload_report.ts";

type _Member = UploadInput & { index: number };

/**
 * Opens `given` (a URL or stdin) and, when it needs it, sends it split; returns the opened input
 * when it fits an account whole (the caller sends it as usual).
 */
export async function splitStream(given: _Member, c: UploadItemContext): Promise<StepOutcome | _Member> {
  const t0 = performance.now();
  const base = { item: given.id, name: given.source.name, source: given.source.origin, attempts: c.attempt };
  const fail = (err: unknown) => {
    c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    return err;
  };
  let input: _Member, limit: number;
  try {
    input = await openInput(given, c.signal);
    limit = await largestUpload(c.accounts, c.signal);
  } catch (err) {
    throw fail(err);
  }
  const src = input.source;
  base.name = src.name;
  if (src.size !== undefined && src.size <= limit) return input;
  const pieceDiag = new UploadDiagnostics();
  const pieces = streamPieces(src, { pieceSize: limit, signal: c.signal });
  try {
    const pc = await pieceContext(c, input.id, { limit, size: src.size, diag: pieceDiag });
    const id = (i: number) => `${input.id}#${String(i).padStart(3, "0")}`;
    let n = 0;
    for (let p = await pieces.next(); p; p = await pieces.next()) {
      await uploadItem({ id: id(++n), source: p, index: input.index }, pc);
    }
    const manifest = pieces.manifestSource();
    await uploadItem({ id: id(++n), source: manifest, index: input.index }, pc);
    const recs = pieceDiag.records();
    const bytes = recs.slice(0, -1).reduce((s, r) => s + r.bytes, 0);
    c.diag.record({
      ...base,
      outcome: recs.every((r) => r.outcome === "duplicate") ? "duplicate" : "done",
      bytes,
      ms: Math.round(performance.now() - t0),
      message_ids: recs.flatMap((r) => r.message_ids ?? []),
      resumed_parts: 0,
    });
    return { bytes, name: src.name, path: src.origin };
  } catch (err) {
    throw fail(err);
  } finally {
    await pieces.close();
  }
}
