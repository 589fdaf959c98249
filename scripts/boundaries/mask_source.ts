/**
 * A small lexer for the boundary checker: it blanks comments and the insides of strings, templates and
 * regular expressions, so that searching the code for `import`, `new Worker` or `Deno.Command` never
 * matches text that only mentions them, and records each plain string literal by the offset of its
 * opening quote so a match can read its specifier back.
 */

/** Source text with comments and literal contents blanked, line breaks and offsets unchanged. */
export interface MaskedSource {
  /** The text with comments and the contents of strings, templates and regexes replaced by spaces. */
  code: string;
  /** Raw contents of each string literal (and template without `${}`), by its opening quote's offset. */
  strings: Map<number, string>;
}

// After these, a "/" starts a regular expression; after anything else it divides.
const _REGEX_AFTER = new Set([..."(,=:[!&|?{};+-*%<>~^", ""]);
const _KEYWORDS = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
]);

/**
 * Masks one file's text. Unterminated literals run to the end of their line (strings, regexes) or of
 * the file (comments, templates), as a syntax-checked file never has them.
 *
 * @example
 * ```ts
 * const m = maskSource('// import "x"\nimport y from "./y.ts";');
 * m.code.includes('"x"'); // false
 * m.strings.get(m.code.indexOf('"')); // "./y.ts"
 * ```
 */
export function maskSource(text: string): MaskedSource {
  const out = text.split("");
  const strings = new Map<number, string>();
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  // Brace depth at each open `${`, so the matching "}" returns to the template.
  const templates: number[] = [];
  let depth = 0;
  let prev = "";
  let i = 0;

  // Scans template text from `from` (just after "`" or "}"); returns the offset after "`" or "${".
  const template = (from: number, start: number): number => {
    let j = from;
    while (j < text.length && text[j] !== "`") {
      if (text[j] === "\\") j++;
      else if (text[j] === "$" && text[j + 1] === "{") {
        blank(from, j);
        templates.push(depth++);
        prev = "{";
        return j + 2;
      }
      j++;
    }
    blank(from, j);
    if (start >= 0) strings.set(start, text.slice(from, j));
    prev = "`";
    return j + 1;
  };

  while (i < text.length) {
    const c = text[i];
    const n = text[i + 1];
    if (c === "/" && n === "/") {
      const end = text.indexOf("\n", i);
      const e = end < 0 ? text.length : end;
      blank(i, e);
      i = e;
    } else if (c === "/" && n === "*") {
      const end = text.indexOf("*/", i + 2);
      const e = end < 0 ? text.length : end + 2;
      blank(i, e);
      i = e;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      strings.set(i, text.slice(i + 1, j));
      blank(i + 1, j);
      prev = c;
      i = j + 1;
    } else if (c === "`") {
      i = template(i + 1, i);
    } else if (c === "}" && templates.length > 0 && templates.at(-1) === depth - 1) {
      depth = templates.pop()!;
      i = template(i + 1, -1);
    } else if (c === "/" && _REGEX_AFTER.has(prev)) {
      i = _regex(text, i, blank);
      prev = "/";
    } else if (/[\w$]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[\w$]/.test(text[j])) j++;
      // A keyword before "/" opens a regex ("return /x/"); a name or number divides.
      prev = _KEYWORDS.has(text.slice(i, j)) ? "(" : "a";
      i = j;
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return { code: out.join(""), strings };
}

// Blanks a regex literal's body starting at the "/" at `i`; returns the offset after its flags.
function _regex(text: string, i: number, blank: (from: number, to: number) => void): number {
  let j = i + 1;
  let inClass = false;
  while (j < text.length && text[j] !== "\n") {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) break;
    j++;
  }
  // No closing "/" on this line: it was a division after all.
  if (j >= text.length || text[j] === "\n") return i + 1;
  blank(i + 1, j);
  j++;
  while (j < text.length && /\w/.test(text[j])) j++;
  return j;
}
