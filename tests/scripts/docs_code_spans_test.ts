/**
 * Docs render as written: an inline code span that reads like a sentence ("always get a
 * backslash, ...") means backticks got out of pairs and swallowed prose between them.
 */
import assert from "node:assert/strict";
import MarkdownIt from "markdown-it";

const REPO = new URL("../../", import.meta.url);
const PROSE = /(?:^|\s)(?:is|are|the|an?|and|get|gets|be|to|of)\s/;

Deno.test("no inline code span in README or docs/ swallowed prose (unpaired backticks)", () => {
  const md = new MarkdownIt();
  const files = ["README.md", ...[...Deno.readDirSync(new URL("docs/", REPO))].map((e) => `docs/${e.name}`)]
    .filter((f) => f.endsWith(".md"));
  const bad: string[] = [];
  for (const f of files) {
    for (const block of md.parse(Deno.readTextFileSync(new URL(f, REPO)), {})) {
      for (const t of block.children ?? []) {
        if (t.type !== "code_inline" || t.content.trim().split(/\s+/).length < 4) continue;
        if (PROSE.test(` ${t.content} `)) bad.push(`${f}: \`${t.content}\``);
      }
    }
  }
  assert.deepEqual(bad, []);
});
