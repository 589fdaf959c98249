import assert from "node:assert/strict";
import { markdownText, md, squash } from "./_markdown_text.ts";
import type { MessageEntity } from "../../lib/core/message.ts";
import { entitiesToMarkdown } from "../../lib/export/entities_to_markdown.ts";
import { escapeMarkdown } from "../../lib/export/escape_markdown.ts";

// A CommonMark parser checks the structure of what we render, not just its characters.
const html = (text: string, entities: MessageEntity[]) =>
  md.render(entitiesToMarkdown(text, entities)).trim();
const E = (type: string, offset: number, length: number, extra: Record<string, unknown> = {}) =>
  ({ type, offset, length, ...extra }) as MessageEntity;

Deno.test("entities: every simple type renders as documented", () => {
  assert.equal(entitiesToMarkdown("a bold b", [E("bold", 2, 4)]), "a **bold** b");
  assert.equal(entitiesToMarkdown("a it b", [E("italic", 2, 2)]), "a *it* b");
  assert.equal(entitiesToMarkdown("a un b", [E("underline", 2, 2)]), "a <u>un</u> b");
  assert.equal(entitiesToMarkdown("a st b", [E("strikethrough", 2, 2)]), "a ~~st~~ b");
  assert.equal(entitiesToMarkdown("a sp b", [E("spoiler", 2, 2)]), "a ==sp== b");
  assert.equal(entitiesToMarkdown("a x*y b", [E("code", 2, 3)]), "a `x*y` b");
  assert.equal(entitiesToMarkdown("a `t` b", [E("code", 2, 3)]), "a `` `t` `` b");
  assert.equal(
    entitiesToMarkdown("x\nlet a;", [E("pre", 2, 6, { language: "js" })]),
    "x\n```js\nlet a;\n```\n",
  );
  assert.equal(
    entitiesToMarkdown("see docs", [E("text_link", 4, 4, { url: "https://x.y/a(b)" })]),
    "see [docs](https://x.y/a%28b%29)",
  );
  assert.equal(entitiesToMarkdown("hi @bob_x", [E("mention", 3, 6)]), "hi [@bob\\_x](https://t.me/bob_x)");
  assert.equal(
    entitiesToMarkdown("hi Bob", [E("mention_name", 3, 3, { user_id: 42 })]),
    "hi [Bob](tg://user?id=42)",
  );
  assert.equal(entitiesToMarkdown("#ask me", [E("hashtag", 0, 4)]), "#ask me");
  assert.equal(entitiesToMarkdown("buy $BTC", [E("cashtag", 4, 4)]), "buy \\$BTC");
  assert.equal(entitiesToMarkdown("/start@bot", [E("bot_command", 0, 10)]), "/start@bot");
  assert.equal(
    entitiesToMarkdown("go example.com", [E("url", 3, 11)]),
    "go [example.com](http://example.com)",
  );
  assert.equal(entitiesToMarkdown("a@b.c", [E("email", 0, 5)]), "[a@b.c](mailto:a@b.c)");
  assert.equal(entitiesToMarkdown("+1 (555) 010", [E("phone", 0, 12)]), "[\\+1 (555) 010](tel:+1555010)");
  assert.equal(entitiesToMarkdown("q1\nq2", [E("blockquote", 0, 5)]), "> q1\n> q2\n");
  assert.equal(
    entitiesToMarkdown("q1\nq2", [E("blockquote", 0, 5, { collapsed: true })]),
    "> [!quote]-\n> q1\n> q2\n",
  );
  assert.equal(
    entitiesToMarkdown("ok 👍", [E("custom_emoji", 3, 2, { document_id: "5368324170671202286" })]),
    "ok 👍",
  );
});

Deno.test("entities: structure checked with a CommonMark parser", () => {
  assert.equal(html("a bold b", [E("bold", 2, 4)]), "<p>a <strong>bold</strong> b</p>");
  assert.equal(
    html("see docs", [E("text_link", 4, 4, { url: "https://x.y/" })]),
    '<p>see <a href="https://x.y/">docs</a></p>',
  );
  assert.equal(
    html("x\nlet a;", [E("pre", 2, 6, { language: "js" })]),
    '<p>x</p>\n<pre><code class="language-js">let a;\n</code></pre>',
  );
  // Inline code may not hold a blank line: multi-line code becomes a block.
  assert.match(html("a\n\nb", [E("code", 0, 4)]), /^<pre><code>a\n\nb\n<\/code><\/pre>$/);
  // A quote is ended by a blank line, or the next line would continue it.
  assert.equal(
    html("quoteafter", [E("blockquote", 0, 5)]),
    "<blockquote>\n<p>quote</p>\n</blockquote>\n<p>after</p>",
  );
});

Deno.test("entities: nested and overlapping entities nest properly", () => {
  // bold [0,10) overlapping italic [5,15): italic is split at the bold's end.
  assert.equal(
    html("abcdefghijklmno", [E("bold", 0, 10), E("italic", 5, 10)]),
    "<p><b>abcde<em>fghij</em></b><em>klmno</em></p>",
  );
  assert.equal(html("abc def", [E("bold", 0, 7), E("italic", 4, 3)]), "<p><b>abc <em>def</em></b></p>");
  assert.equal(html("abcdef", [E("bold", 0, 3), E("italic", 3, 3)]), "<p><strong>abc</strong><i>def</i></p>");
  assert.equal(
    html("link bold", [E("text_link", 0, 9, { url: "http://x/" }), E("bold", 5, 4)]),
    '<p><a href="http://x/">link <strong>bold</strong></a></p>',
  );
  // A mention inside a text link cannot be a link itself.
  assert.equal(
    html("to @bob", [E("text_link", 0, 7, { url: "http://x/" }), E("mention", 3, 4)]),
    '<p><a href="http://x/">to @bob</a></p>',
  );
  // Block entities are outermost: bold across a quote is split around it.
  const out = html("bold quote\nline after", [E("bold", 0, 10), E("blockquote", 5, 10)]);
  assert.equal(
    out,
    "<p><strong>bold</strong></p>\n<blockquote>\n<p><strong>quote</strong>\nline</p>\n</blockquote>\n<p>after</p>",
  );
  // Punctuation at the edge would break `**` flanking rules: HTML tags are used.
  assert.equal(html('say "hi"now', [E("bold", 4, 4)]), "<p>say <b>&quot;hi&quot;</b>now</p>");
  // Whitespace moves outside the markers.
  assert.equal(entitiesToMarkdown("bold below\n\nnormal", [E("bold", 0, 12)]), "**bold below**\n\nnormal");
  // Out-of-range and empty entities are ignored.
  assert.equal(entitiesToMarkdown("abc", [E("bold", 2, 50), E("italic", 1, 0), E("code", 9, 2)]), "ab**c**");
});

Deno.test("escaping: special characters in plain text render literally", () => {
  const samples = [
    "*not bold* _not italic_ __x__ **y**",
    "[not](a link) ![no](img.png) [[wiki]] <b>tag</b> &amp; &#32;",
    "# not a heading\n> not a quote\n- not a list\n+ nor this\n1. nor this\n2) nor that",
    "a | table | row\n---|---\n`not code` ~~not strike~~ ==not mark== %%not comment%%",
    "$x$ math ^block-id #tag C# 100% 5 = 5 a=b",
    "    indented code\n\ttab\nsetext\n===\nline\n---",
    "back\\slash \\* escaped",
  ];
  for (const s of samples) {
    const out = escapeMarkdown(s);
    const { text, kinds } = markdownText(out);
    assert.equal(squash(text), squash(s), `${s}\n=> ${out}`);
    for (const k of kinds) {
      assert.ok(
        ["paragraph_open", "paragraph_close", "inline", "text", "softbreak"].includes(k),
        `${k} in ${out}`,
      );
    }
    // Obsidian-only syntax markdown-it does not know: never left unescaped.
    assert.ok(!/(^|[^\\])(==|%%|\[\[|#\w|\$|\^)/.test(out.replace(/\\./g, "").replace(/&#\d+;/g, "")), out);
  }
});

Deno.test("escaping: random strings of special characters keep their text", () => {
  const alphabet = "*_[]()#>|`~=%$^<>&!-+.1 \n\\aé";
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 300; i++) {
    let s = "";
    for (let j = 0, n = 1 + rand(30); j < n; j++) s += alphabet[rand(alphabet.length)];
    const out = escapeMarkdown(s);
    const { text, kinds } = markdownText(out);
    assert.equal(squash(text), squash(s), `${JSON.stringify(s)} => ${JSON.stringify(out)}`);
    for (const k of kinds) {
      assert.ok(
        ["paragraph_open", "paragraph_close", "inline", "text", "softbreak"].includes(k),
        `${k}: ${JSON.stringify(s)} => ${JSON.stringify(out)}`,
      );
    }
  }
});

Deno.test("escaping: not inside code or pre", () => {
  assert.equal(entitiesToMarkdown("*a* [b]", [E("code", 0, 7)]), "`*a* [b]`");
  assert.equal(entitiesToMarkdown("# x *y*", [E("pre", 0, 7)]), "```\n# x *y*\n```\n");
  assert.equal(entitiesToMarkdown("```inner```", [E("pre", 0, 11)]), "````\n```inner```\n````\n");
});
