import assert from "node:assert/strict";
import { markdownText, squash } from "./_markdown_text.ts";
import { escapeMarkdown } from "../../lib/export/escape_markdown.ts";

/**
 * Token types plain text may produce; anything else (table_open, heading_open, ...) is structure.
 * A hardbreak (two spaces before a newline) is still the sender's line break.
 */
const PLAIN = new Set(["paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"]);

/** Asserts that `source` rendered through markdown-it is `text` again, with no structure. */
function _assertPlain(text: string, source: string): void {
  const { text: seen, kinds } = markdownText(source);
  const extra = [...kinds].filter((k) => !PLAIN.has(k));
  const where = `${JSON.stringify(text)} => ${JSON.stringify(source)}`;
  assert.deepEqual(extra, [], `${extra.join(",")}: ${where}`);
  assert.equal(squash(seen), squash(text), where);
}

Deno.test("escaping: pipe tables whose delimiter rows start with ':' or '|' stay text", () => {
  const tables = [
    "name | price\n:--- | ---:\napple | 1",
    "name | price\n:---: | :---:\napple | 1",
    "| name | price |\n| --- | --- |\n| apple | 1 |",
    "name | price\n|---|---|\napple | 1",
    "a|b\n:-|-:",
    "  name | price\n  :--- | ---:",
    "x\n\nname | price\n:--- | ---:",
  ];
  for (const t of tables) {
    // the raw text is a table indeed: the samples test what they claim to
    assert.ok(markdownText(t).kinds.has("table_open"), `not a table unescaped: ${JSON.stringify(t)}`);
    const out = escapeMarkdown(t);
    assert.ok(!markdownText(out).kinds.has("table_open"), `${JSON.stringify(t)} => ${JSON.stringify(out)}`);
    _assertPlain(t, out);
  }
  // Not tables as written, but escaping the header's pipes would leave one column matching a
  // one-cell delimiter row: escaping must not make a table either.
  for (const t of ["price | qty\n:--", "a | b\n  :-:\nc", "|  |\n:-:"]) _assertPlain(t, escapeMarkdown(t));
});

// Fragments weighted toward what gives Markdown meaning, at line starts and inside lines.
const SPECIALS = [..."\\*_`[](){}#>|~=%$^<>&!-+.:;\"'/@"];
const FRAGMENTS = [
  ":---",
  "---:",
  ":-:",
  "---",
  " | ",
  "|",
  "***",
  "___",
  "===",
  "~~~",
  "```",
  "    ",
  "\t",
  "  ",
  "# ",
  "## ",
  "> ",
  "- ",
  "+ ",
  "* ",
  "1. ",
  "2) ",
  "[x] ",
  "[a](b)",
  "![i](p.png)",
  "<div>",
  "</b>",
  "<!-- c -->",
  "&amp;",
  "&#32;",
  "&copy;",
  "==mark==",
  "%%c%%",
  "$x$",
  "^id",
  "#tag",
  "[[wiki]]",
  "~~s~~",
  "**b**",
  "_i_",
  "`c`",
  "https://example.com",
];
const UNICODE = [
  "é",
  "Ж",
  "中文",
  "عربي",
  "שלום",
  "🙂",
  "👨‍👩‍👧",
  "e\u0301",
  "\u00a0",
  "\u2003",
  "\u200b",
  "＊",
  "｜",
  "ß",
  "İ",
];

/**
 * mulberry32: the same cases in every run, so a failure replays. (An LCG's low bits, taken
 * with `% n`, repeat with a short period and never produced some line starts.)
 */
function _seeded(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A pipe-table row or delimiter row of 1-3 cells, with or without outer pipes. */
function _tableLine(rand: (n: number) => number, cells: number): string {
  const cell = rand(2) === 0
    ? ["a", "name", "12", "é", ""][rand(5)]
    : [":---", "---:", ":-:", "---", "-", ":--"][rand(6)];
  const row = Array.from({ length: cells }, () => cell).join([" | ", "|"][rand(2)]);
  return rand(2) === 0 ? row : `| ${row} |`;
}

/** A seeded generator of multi-line text mixing specials, fragments, words, Unicode and tables. */
function _randomText(rand: (n: number) => number): string {
  const lines: string[] = [];
  // rows of one text share a cell count, so header and delimiter rows often match as a table needs
  const cells = 1 + rand(3);
  for (let l = 0, nl = 1 + rand(5); l < nl; l++) {
    if (rand(3) === 0) {
      lines.push(_tableLine(rand, cells));
      continue;
    }
    let line = "";
    for (let j = 0, n = rand(8); j < n; j++) {
      const pick = rand(10);
      if (pick < 3) line += SPECIALS[rand(SPECIALS.length)];
      else if (pick < 6) line += FRAGMENTS[rand(FRAGMENTS.length)];
      else if (pick < 8) line += ["word", "a", "b c", "12", " "][rand(5)];
      else line += UNICODE[rand(UNICODE.length)];
    }
    lines.push(line);
  }
  return lines.join("\n");
}

Deno.test("escaping (property): random text renders back to the same plain text through markdown-it", () => {
  const rand = _seeded(20241205);
  for (let i = 0; i < 4000; i++) {
    const text = _randomText(rand);
    _assertPlain(text, escapeMarkdown(text));
    // in the middle of a line (after other text), only the later lines start one
    _assertPlain(`word ${text}`, `word ${escapeMarkdown(text, { atLineStart: false })}`);
  }
});
