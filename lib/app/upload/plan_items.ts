/**
 * The job items of an upload: one per file, or with --album groups of up to 10 files of one album
 * class (photos and videos, audio, documents, guessed from the file type), in the inputs' order.
 */
import type { JobItem } from "../../engine/job_types.ts";
import { mimeOf } from "./media_attributes.ts";
import type { UploadInput } from "./upload_inputs.ts";

/** Telegram's album size limit. */
export const ALBUM_MAX = 10;

/** One job item and the files it sends. */
export type PlannedUpload = JobItem & { members: Array<UploadInput & { index: number }> };

/** The items for `inputs` (see module comment); ids are stable for the same inputs. */
export function planItems(inputs: UploadInput[], opts: { album?: boolean } = {}): PlannedUpload[] {
  const members = inputs.map((input, i) => ({ ...input, index: i + 1 }));
  if (!opts.album) {
    return members.map((m) => ({ id: m.id, name: m.source.name, bytes: m.source.size, members: [m] }));
  }
  const byClass = new Map<string, typeof members>();
  for (const m of members) {
    const type = mimeOf(m.source.name, m.source.mime).split("/")[0];
    const k = type === "image" || type === "video" ? "visual" : type === "audio" ? "audio" : "document";
    byClass.set(k, [...byClass.get(k) ?? [], m]);
  }
  const out: PlannedUpload[] = [];
  for (const list of byClass.values()) {
    for (let i = 0; i < list.length; i += ALBUM_MAX) {
      const group = list.slice(i, i + ALBUM_MAX);
      const sizes = group.map((m) => m.source.size);
      out.push({
        id: `album:${group[0].id}+${group.length - 1}`,
        name: group.length === 1 ? group[0].source.name : `${group[0].source.name} +${group.length - 1}`,
        bytes: sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a! + b!, 0) : undefined,
        members: group,
      });
    }
  }
  return out;
}
