/**
 * Escaping of plain text for Obsidian-flavoured Markdown. The goal is that text never changes
 * meaning: no emphasis, link, tag, highlight, comment, math, block id, HTML or block structure
 * (headings, quotes, lists, indented code) appears that the sender did not write.
 */

// Always escaped: emphasis, code, links, tables, strike, math, block ids, HTML, backslash.
const ALWAYS = /[\\*_`[\]|~$^<#]/g;
// Escaped only in runs, where Obsidian gives them meaning: ==highlight== and %%comment%%.
const DOUBLED = /={2,}|%{2,}/g;
// An HTML entity like &amp; or &#32; would be decoded; escape its ampersand.
const ENTITY = /&(?=#?[a-zA-Z0-9]+;)/g;
// Any character one of the three above could touch: most lines of most messages have none.
const ANY = /[\\*_`[\]|~$^<#&=%]/;

/** Options of {@link escapeMarkdown}. */
export interface EscapeOptions {
  /** The text starts at the beginning of a line (block markers are escaped there). Default true. */
  atLineStart?: boolean;
}

/**
 * Escapes plain text so it renders literally.
 *
 * @example
 * ```ts
 * escapeMarkdown("*not bold* #notag"); // "\\*not bold\\* \\#notag"
 * ```
 */
export function escapeMarkdown(text: string, opts: EscapeOptions = {}): string {
  if (!text.includes("\n")) return _escapeLine(text, opts.atLineStart ?? true);
  const lines = text.split("\n");
  return lines.map((line, i) => _escapeLine(line, i > 0 || (opts.atLineStart ?? true))).join("\n");
}

// what a line must start with for the checks below to change it: indentation or a marker
const _MAY_MARK = /^[ \t>+:=\d-]/;

function _escapeLine(line: string, atStart: boolean): string {
  let s = !ANY.test(line) ? line : line.replace(ALWAYS, "\\$&").replace(ENTITY, "\\&").replace(
    DOUBLED,
    (run) => run.split("").join("\\").replace(/^/, "\\"),
  );
  if (!atStart || !_MAY_MARK.test(s)) return s;
  // Four leading spaces (or a tab) would make an indented code block: encode the indentation.
  const indent = /^[ \t]+/.exec(s)?.[0] ?? "";
  if (indent.length >= 4 || indent.includes("\t")) {
    s = indent.replace(/ /g, "&#32;").replace(/\t/g, "&#9;") + s.slice(indent.length);
    return s;
  }
  const rest = s.slice(indent.length);
  // Quote, list and heading markers, thematic breaks, setext underlines, ordered list numbers, and
  // a table delimiter row's leading colon (`:--` under any line with a `|`, even an escaped one).
  const m = /^(>|[-+:]|=|\d{1,9}(?=[.)]))/.exec(rest);
  if (!m) return s;
  if (/^\d/.test(m[0])) return indent + m[0] + "\\" + rest.slice(m[0].length);
  return indent + "\\" + rest;
}
