/**
 * File-name sanitising for names that come from Telegram (file names, chat titles): a hostile
 * name must never leave the output directory or fail to write on any common file system.
 */

/** Options of {@link sanitizeName}. */
export interface SanitizeNameOptions {
  /** Maximum UTF-8 byte length of the result; ext4 and most file systems allow 255. Default 200. */
  maxBytes?: number;
  /** Used when nothing printable is left. Default "file". */
  fallback?: string;
}

// Characters Windows forbids plus the path separators of every platform.
const FORBIDDEN = /[<>:"/\\|?*]/g;
// C0/C1 controls, DEL, and bidi overrides that would disguise an extension.
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const encoder = new TextEncoder();

/**
 * Turns any string into a single safe path segment: no separators, no `..`, no NUL or control
 * characters, no Windows reserved names, no trailing dots or spaces, at most `maxBytes` UTF-8
 * bytes with the extension kept.
 *
 * @example
 * ```ts
 * sanitizeName("../../etc/passwd"); // "etc_passwd"
 * sanitizeName("CON.txt"); // "_CON.txt"
 * ```
 */
export function sanitizeName(name: string, opts: SanitizeNameOptions = {}): string {
  const maxBytes = opts.maxBytes ?? 200;
  const fallback = opts.fallback ?? "file";
  if (maxBytes < 16) throw new RangeError(`maxBytes must be at least 16, got ${maxBytes}`);
  let s = name.normalize("NFC").replace(CONTROL, "").replace(FORBIDDEN, "_");
  // Collapse runs of "_" the replacement made and strip leading dots (hidden files, "..").
  s = s.replace(/_{2,}/g, "_").replace(/^[\s._]+/, "").replace(/[\s.]+$/, "");
  if (s.length === 0) s = fallback;
  const base = s.split(".")[0];
  if (RESERVED.test(base)) s = `_${s}`;
  return _truncate(s, maxBytes);
}

/** Truncates to maxBytes UTF-8 bytes, keeping a short extension and whole code points. */
function _truncate(s: string, maxBytes: number): string {
  if (encoder.encode(s).length <= maxBytes) return s;
  const dot = s.lastIndexOf(".");
  const ext = dot > 0 && s.length - dot <= 12 ? s.slice(dot) : "";
  const stem = s.slice(0, s.length - ext.length);
  const budget = maxBytes - encoder.encode(ext).length;
  let out = "";
  let used = 0;
  for (const ch of stem) {
    const n = encoder.encode(ch).length;
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return out.replace(/[\s.]+$/, "") + ext;
}
