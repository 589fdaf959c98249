/**
 * Gives every planned file of a download its own destination before any transfer starts: two
 * files whose names render alike ({chat}/{filename} with two "anim.mp4", {type}.{ext}, or names
 * that sanitise to "file") would otherwise overwrite each other or share one `.part`.
 */
import { renderName } from "../../core/name_template.ts";
import { safeJoin } from "../../core/safe_join.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";

/**
 * Destination (absolute, inside `out`) of each file, in plan order. The first file to claim a
 * path keeps it; a later file gets its message id before the extension
 * (`anim (101).mp4`), then a counter if even that is taken, so the names do not depend on timing
 * and a rerun of the same plan picks the same ones. A name that leaves `out` is a RangeError for
 * that file (its entry holds the error).
 */
export function assignDestinations(
  files: Array<{ item: string; file: RemoteFile }>,
  opts: { out: string; template: string },
): Map<string, string | RangeError> {
  // paths in lower case (case-insensitive file systems); the same Telegram file asked for twice
  // still gets two names, so two transfers never share a .part
  const taken = new Set<string>();
  const out = new Map<string, string | RangeError>();
  for (const { item, file } of files) {
    let dest: string;
    try {
      dest = safeJoin(opts.out, ..._name(opts.template, file));
    } catch (err) {
      out.set(item, err instanceof RangeError ? err : new RangeError(String(err)));
      continue;
    }
    const base = dest;
    for (let n = 1; taken.has(dest.toLowerCase()); n++) {
      dest = _withSuffix(base, n === 1 ? String(file.messageId) : `${file.messageId}-${n}`);
    }
    taken.add(dest.toLowerCase());
    out.set(item, dest);
  }
  return out;
}

function _withSuffix(path: string, suffix: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash + 1 ? `${path.slice(0, dot)} (${suffix})${path.slice(dot)}` : `${path} (${suffix})`;
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
