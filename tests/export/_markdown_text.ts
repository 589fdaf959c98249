/** What a reader of rendered Markdown sees, for the escaping tests of lib/export. */
import MarkdownIt from "markdown-it";

/**
 * The markdown-it the export tests render with: GFM tables and strikethrough on (its default
 * preset), HTML allowed, so the structure it finds is what a Markdown viewer would show.
 */
export const md = new MarkdownIt({ html: true, linkify: false });

/** The text a reader sees (text tokens and line breaks) and every token type markdown-it made of `markdown`. */
export function markdownText(markdown: string): { text: string; kinds: Set<string> } {
  let text = "";
  const kinds = new Set<string>();
  // deno-lint-ignore no-explicit-any
  const walk = (tokens: any[]) => {
    for (const t of tokens) {
      kinds.add(t.type);
      if (t.type === "text") text += t.content;
      else if (t.type === "softbreak" || t.type === "hardbreak") text += "\n";
      else if (t.type === "paragraph_close") text += "\n\n";
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(markdown, {}));
  return { text, kinds };
}

/** Markdown collapses runs of whitespace and trims lines: compare text modulo that. */
export const squash = (s: string) => s.replace(/\s+/g, " ").trim();
