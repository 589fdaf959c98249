/** Content-Disposition with an RFC 6266 / RFC 8187 `filename*` for names beyond ASCII. */

/**
 * `inline` or `attachment` with `filename` (an ASCII fallback: other characters, quotes and
 * backslashes become `_`) and `filename*=UTF-8''…` (percent-encoded) when the name needs it.
 */
export function contentDisposition(name: string, opts: { attachment?: boolean } = {}): string {
  const type = opts.attachment ? "attachment" : "inline";
  // control characters never belong in a header, whatever the name held
  const clean = Array.from(name, (c) => (c.charCodeAt(0) < 0x20 || c === "\x7f" ? "_" : c)).join("");
  const ascii = clean.replace(/[^\x20-\x7e]|["\\]/g, "_");
  if (clean === "") return type;
  const out = `${type}; filename="${ascii}"`;
  return ascii === clean ? out : `${out}; filename*=UTF-8''${_ext(clean)}`;
}

// RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded as UTF-8.
function _ext(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}
