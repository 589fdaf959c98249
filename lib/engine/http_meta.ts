/**
 * What an HTTP response says about the file it carries: its name (Content-Disposition, RFC 6266,
 * or the URL path), its type, its length and the range it covers.
 */

/** A parsed `Content-Range: bytes start-end/total` (total undefined for `*`). */
export interface ContentRange {
  start: number;
  end: number;
  total: number | undefined;
}

/** Parses a byte Content-Range; undefined when absent or not of the `bytes a-b/t` form. */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const m = value?.trim().match(/^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  return { start, end, total: m[3] === "*" ? undefined : Number(m[3]) };
}

/**
 * The body length the headers declare: Content-Length, unless a Content-Encoding means the
 * bytes read differ from the bytes sent (then unknown).
 */
export function declaredLength(headers: Headers): number | undefined {
  const enc = headers.get("content-encoding");
  if (enc && enc.toLowerCase() !== "identity") return undefined;
  const v = headers.get("content-length");
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** The MIME type of Content-Type without its parameters; undefined when absent. */
export function mimeOf(headers: Headers): string | undefined {
  const t = headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  return t ? t : undefined;
}

/**
 * The file name a response stands for: Content-Disposition's `filename*` (RFC 6266 / 8187,
 * percent-encoded with a charset), else its `filename`, else the last segment of the URL path,
 * else "download". Never a path: separators and control characters are replaced.
 */
export function fileNameOf(disposition: string | null, url: string): string {
  const fromHeader = disposition ? _dispositionName(disposition) : undefined;
  return _clean(fromHeader ?? _urlName(url) ?? "") || "download";
}

function _dispositionName(value: string): string | undefined {
  const params = _params(value);
  const ext = params.get("filename*");
  if (ext !== undefined) {
    const m = ext.match(/^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/);
    if (m) {
      const decoded = _decode(m[2], m[1]);
      if (decoded) return decoded;
    }
  }
  return params.get("filename") || undefined;
}

/** `attachment; filename="a b.txt"; filename*=UTF-8''a%20b.txt` -> lower-cased keys to values. */
function _params(value: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  for (const m of value.matchAll(re)) {
    const key = m[1].toLowerCase();
    const v = m[3] !== undefined ? m[3].replace(/\\(.)/g, "$1") : m[2].trim();
    if (!out.has(key)) out.set(key, v);
  }
  return out;
}

function _decode(pct: string, charset: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < pct.length; i++) {
    if (pct[i] === "%" && /^[0-9a-f]{2}$/i.test(pct.slice(i + 1, i + 3))) {
      bytes.push(parseInt(pct.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(pct.charCodeAt(i) & 0xff);
  }
  try {
    const label = charset.toLowerCase() === "iso-8859-1" ? "latin1" : charset;
    return new TextDecoder(label, { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function _urlName(url: string): string | undefined {
  try {
    const seg = new URL(url).pathname.split("/").filter((s) => s !== "").at(-1);
    if (!seg) return undefined;
    try {
      return decodeURIComponent(seg);
    } catch {
      return seg;
    }
  } catch {
    return undefined;
  }
}

function _clean(name: string): string {
  // a name is never a path: the last segment only, no control characters, no dot-only names
  // deno-lint-ignore no-control-regex
  const base = name.split(/[/\\]/).at(-1)!.replace(/[\u0000-\u001f\u007f]/g, "_").trim();
  return /^\.+$/.test(base) ? "" : base;
}
