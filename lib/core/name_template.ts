/**
 * Output names for downloaded files from a template such as `{chat}/{date:YYYY-MM}/{id}_{filename}`.
 * Each `/`-separated segment is rendered, then sanitised on its own (safe_name.ts), so values from
 * messages can neither add directories nor climb out of the output directory.
 */
import { sanitizeName } from "./safe_name.ts";
import { mediaExt } from "./media_ext.ts";

/** What a template can name; every value comes from Telegram and is untrusted. */
export interface NameFields {
  chat: string;
  chatId: number;
  chatUsername?: string;
  id: number;
  /** Unix seconds. */
  date: number;
  fileName?: string;
  mimeType?: string;
  type: string;
  topic?: number;
  fileId: string;
  size: number;
}

/**
 * The default template: one directory per chat, message id first so names never collide; a file
 * is named as in an export's media folder (`101-photo.jpg`).
 */
export const DEFAULT_TEMPLATE = "{chat}/{id}-{filename}";

/** Template variables and what they stand for (for help and docs). */
export const TEMPLATE_VARS: ReadonlyArray<readonly [string, string]> = [
  ["{chat}", "chat title"],
  ["{chat_id}", "chat id"],
  ["{username}", "chat username, or the chat id"],
  ["{id}", "message id"],
  ["{date:FMT}", "message date (UTC); FMT uses YYYY MM DD HH mm ss, default YYYY-MM-DD"],
  ["{filename}", "file name, or <type>.<ext> when the file has none (photo.jpg, as export names it)"],
  ["{name}", "file name without extension (<type> when the file has none)"],
  ["{ext}", "extension without the dot (from the name or the MIME type)"],
  ["{type}", "media type: photo, video, voice, audio, round, document, sticker, animation"],
  ["{topic}", "forum topic id, or 0"],
  ["{file_id}", "Telegram file id"],
  ["{size}", "size in bytes"],
];

/**
 * Renders a template into safe relative path segments; throws RangeError for unknown variables
 * or an empty template.
 *
 * @example
 * ```ts
 * renderName("{chat}/{id}_{filename}", { chat: "../News", chatId: 1, id: 7, date: 0, type: "photo",
 *   fileId: "5", size: 1, mimeType: "image/jpeg" }); // ["News", "7_photo.jpg"]
 * ```
 */
export function renderName(template: string, f: NameFields): string[] {
  const segments = template.split("/").filter((s) => s.trim() !== "");
  if (segments.length === 0) throw new RangeError("The name template is empty");
  const vars = _vars(f);
  return segments.map((seg) => {
    const text = seg.replace(/\{([a-z_]+)(?::([^}]*))?\}/g, (_, name: string, arg: string | undefined) => {
      if (name === "date") return _date(f.date, arg || "YYYY-MM-DD");
      const v = vars[name];
      if (v === undefined) throw new RangeError(`Unknown template variable {${name}} in "${template}"`);
      return v;
    });
    return sanitizeName(text);
  });
}

/** Checks a template once, before any work (unknown variables are usage errors). */
export function checkTemplate(template: string): void {
  // a brace left after the variables is a typo ("{id"), never a literal: refuse it
  const rest = template.replace(/\{[a-z_]+(?::[^{}]*)?\}/g, "");
  if (/[{}]/.test(rest)) throw new RangeError(`Unbalanced brace in the name template "${template}"`);
  renderName(template, { chat: "c", chatId: 1, id: 1, date: 0, type: "document", fileId: "1", size: 1 });
}

/** A file's extension without the dot: its name's, else its MIME type's, else "bin". */
export function fileExt(f: { fileName?: string; mimeType?: string; type?: string }): string {
  const dot = f.fileName ? f.fileName.lastIndexOf(".") : -1;
  return dot > 0 ? f.fileName!.slice(dot + 1) : mediaExt(f.type, f.mimeType);
}

function _vars(f: NameFields): Record<string, string> {
  const dot = f.fileName ? f.fileName.lastIndexOf(".") : -1;
  const ext = fileExt(f);
  const name = f.fileName ? (dot > 0 ? f.fileName.slice(0, dot) : f.fileName) : f.type;
  return {
    chat: f.chat,
    chat_id: String(f.chatId),
    username: f.chatUsername ?? String(f.chatId),
    id: String(f.id),
    // a nameless file (photo, voice) is named as export names it: photo.jpg, voice.ogg
    filename: f.fileName ?? `${f.type}.${ext}`,
    name,
    ext,
    type: f.type,
    topic: String(f.topic ?? 0),
    file_id: f.fileId,
    size: String(f.size),
  };
}

function _date(unix: number, fmt: string): string {
  const d = new Date(unix * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const parts: Record<string, string> = {
    YYYY: p(d.getUTCFullYear(), 4),
    MM: p(d.getUTCMonth() + 1),
    DD: p(d.getUTCDate()),
    HH: p(d.getUTCHours()),
    mm: p(d.getUTCMinutes()),
    ss: p(d.getUTCSeconds()),
  };
  return fmt.replace(/YYYY|MM|DD|HH|mm|ss/g, (k) => parts[k]);
}
