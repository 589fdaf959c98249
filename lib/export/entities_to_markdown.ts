/**
 * Telegram text + entities -> Obsidian-flavoured Markdown. Entities may nest and overlap: they
 * are turned into a properly nested tree (an overlapping entity is split in two), block
 * entities (blockquote, pre) always outermost, then rendered bottom-up.
 */
import type { MessageEntity } from "../core/message.ts";
import { escapeMarkdown } from "./escape_markdown.ts";

interface _Node {
  e?: MessageEntity;
  start: number;
  end: number;
  kids: Array<_Node | _Leaf>;
}
interface _Leaf {
  start: number;
  end: number;
}
interface _Out {
  text: string;
  block: boolean;
  /** Blockquotes need a blank line after them, or the next line continues the quote. */
  quote?: boolean;
  /** The same markup as HTML tags, used where `*`, `~` or `=` delimiters would touch. */
  html?: string;
}

// Lower rank opens further out: blocks outside links outside formatting outside code.
const RANK: Record<MessageEntity["type"], number> = {
  blockquote: 0,
  pre: 1,
  text_link: 2,
  url: 2,
  email: 2,
  phone: 2,
  mention: 2,
  mention_name: 2,
  bold: 3,
  italic: 3,
  underline: 3,
  strikethrough: 3,
  spoiler: 3,
  hashtag: 4,
  cashtag: 4,
  bot_command: 4,
  custom_emoji: 4,
  code: 5,
};
const LINKS = new Set(["text_link", "url", "email", "phone", "mention", "mention_name"]);
const WRAP: Partial<Record<MessageEntity["type"], [string, string, string]>> = {
  bold: ["**", "**", "b"],
  italic: ["*", "*", "i"],
  underline: ["<u>", "</u>", "u"],
  strikethrough: ["~~", "~~", "s"],
  // Obsidian has no spoiler; a highlight keeps the text visible but marked (docs/export-format.md).
  spoiler: ["==", "==", "mark"],
};
const DELIM = /[*~=]/;
// CommonMark flanking rules: a delimiter next to punctuation may not open or close.
const PUNCT = /[\p{P}\p{S}]/u;

/**
 * Renders message text with its entities as Markdown; plain text is escaped so it renders
 * literally, code and pre are kept verbatim.
 *
 * @example
 * ```ts
 * entitiesToMarkdown("hi there", [{ type: "bold", offset: 3, length: 5 }]); // "hi **there**"
 * ```
 */
export function entitiesToMarkdown(text: string, entities: readonly MessageEntity[]): string {
  const tree = _buildTree(text, entities);
  return _renderKids(text, tree, false).text;
}

// Loops rather than filter/map/slice chains: a note renders this for every message, and the
// arrays those chains allocated per segment were the export's largest allocation.
function _buildTree(text: string, entities: readonly MessageEntity[]): _Node {
  const ents: MessageEntity[] = [];
  for (const e of entities) {
    const offset = Math.max(0, e.offset);
    if (!(e.length > 0 && offset < text.length)) continue;
    ents.push({ ...e, offset, length: Math.min(e.length, text.length - offset) });
  }
  const cuts = new Set([0, text.length]);
  for (const e of ents) cuts.add(e.offset).add(e.offset + e.length);
  const points = [...cuts].sort((a, b) => a - b);
  const root: _Node = { start: 0, end: text.length, kids: [] };
  const stack: _Node[] = [root];
  const active: MessageEntity[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    active.length = 0;
    for (const e of ents) if (e.offset <= a && e.offset + e.length >= b) active.push(e);
    // Keep open nodes from the bottom while their entity still covers this segment.
    let keep = 1;
    while (keep < stack.length && active.includes(stack[keep].e!)) keep++;
    // the lowest rank among the entities to open (active, not kept open)
    let minRank = 99;
    for (const e of active) {
      if (RANK[e.type] < minRank && !_openIn(stack, 1, keep, e)) minRank = RANK[e.type];
    }
    // A block entity must not open inside an inline one: close down to its level (splits them).
    let cut = 1;
    while (cut < keep && RANK[stack[cut].e!.type] <= minRank) cut++;
    for (let j = cut; j < stack.length; j++) stack[j].end = a;
    stack.length = cut;
    let reopen: MessageEntity[] | undefined;
    for (const e of active) if (!_openIn(stack, 1, stack.length, e)) (reopen ??= []).push(e);
    if (reopen) {
      reopen.sort((x, y) => RANK[x.type] - RANK[y.type] || (y.offset + y.length) - (x.offset + x.length));
      for (const e of reopen) {
        const node: _Node = { e, start: a, end: b, kids: [] };
        stack[stack.length - 1].kids.push(node);
        stack.push(node);
      }
    }
    stack[stack.length - 1].kids.push({ start: a, end: b });
  }
  for (let j = 1; j < stack.length; j++) stack[j].end = text.length;
  return root;
}

/** Whether `e` is the entity of one of `stack[from..to)`. */
function _openIn(stack: _Node[], from: number, to: number, e: MessageEntity): boolean {
  for (let j = from; j < to; j++) if (stack[j].e === e) return true;
  return false;
}

function _renderKids(text: string, node: _Node, inLink: boolean): _Out {
  const parts: _Out[] = [];
  for (const kid of node.kids) {
    const prev = parts.at(-1);
    const r: _Out = "kids" in kid ? _renderNode(text, kid, inLink) : {
      text: escapeMarkdown(text.slice(kid.start, kid.end), {
        atLineStart: prev?.block === true || kid.start === 0 || text[kid.start - 1] === "\n",
      }),
      block: false,
    };
    if (r.text.length === 0) continue;
    if (prev && !prev.block && !r.block && DELIM.test(prev.text.at(-1)!) && DELIM.test(r.text[0])) {
      // Two delimiter runs would merge (`**a***b*`): spell one of them as HTML.
      if (r.html !== undefined) r.text = r.html;
      else if (prev.html !== undefined) prev.text = prev.html;
    }
    parts.push(r);
  }
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const [p, prev] = [parts[i], parts[i - 1]];
    if (p.block && out.length > 0 && !out.endsWith("\n")) out += "\n";
    if (prev?.block && !p.block) {
      if (!out.endsWith("\n")) out += "\n";
      if (prev.quote && !p.text.startsWith("\n")) out += "\n";
    }
    out += p.text;
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  return { text: out, block: only?.block ?? false, quote: only?.quote, html: only?.html };
}

function _renderNode(text: string, node: _Node, inLink: boolean): _Out {
  const e = node.e!;
  const raw = text.slice(node.start, node.end);
  if (e.type === "pre") return { text: _fence(raw, e.language ?? ""), block: true };
  if (e.type === "code") {
    // Inline code cannot hold a blank line; multi-line code becomes a fenced block.
    return raw.trim().includes("\n") ? { text: _fence(raw, ""), block: true } : _inline(raw, _codeSpan);
  }
  if (e.type === "blockquote") {
    const inner = _renderKids(text, node, inLink).text.replace(/\n+$/, "");
    const lines = inner.split("\n").map((l) => (l.length > 0 ? `> ${l}` : ">"));
    const head = e.collapsed ? ["> [!quote]-"] : [];
    return { text: [...head, ...lines].join("\n") + "\n", block: true, quote: true };
  }
  const inner = _renderKids(text, node, inLink || LINKS.has(e.type));
  if (inner.block) return inner;
  const wrap = WRAP[e.type];
  if (wrap) {
    const html = _inline(inner.text, (s) => `<${wrap[2]}>${s}</${wrap[2]}>`).text;
    const md = _inline(inner.text, (s) => {
      const edgy = PUNCT.test(s[0]) || PUNCT.test(s.at(-1)!);
      return edgy && wrap[0] !== "<u>" ? `<${wrap[2]}>${s}</${wrap[2]}>` : wrap[0] + s + wrap[1];
    }).text;
    return { text: md, block: false, html };
  }
  if (LINKS.has(e.type) && !inLink) {
    const url = _linkTarget(e, raw.trim());
    if (url) return _inline(inner.text, (s) => `[${s}](${url})`);
  }
  if (e.type === "hashtag" && /^#[\p{L}\p{N}_\-/]*[\p{L}_\-/][\p{L}\p{N}_\-/]*$/u.test(raw)) {
    // Kept as an Obsidian tag: the text is already safe (letters, digits, _ - /).
    return { text: raw, block: false };
  }
  return inner;
}

/** Moves leading/trailing whitespace outside the markup; Markdown ignores `** x **`. */
function _inline(s: string, wrap: (inner: string) => string): _Out {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(s)!;
  if (m[2].length === 0) return { text: s, block: false };
  return { text: m[1] + wrap(m[2]) + m[3], block: false };
}

function _codeSpan(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return ticks + pad + s + pad + ticks;
}

function _fence(raw: string, language: string): string {
  const longest = Math.max(2, ...(raw.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const lang = language.replace(/[\s`]/g, "");
  return `${fence}${lang}\n${raw}${raw.endsWith("\n") ? "" : "\n"}${fence}\n`;
}

function _linkTarget(e: MessageEntity, raw: string): string | undefined {
  let url: string | undefined;
  switch (e.type) {
    case "text_link":
      url = e.url;
      break;
    case "url":
      url = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`;
      break;
    case "email":
      url = `mailto:${raw}`;
      break;
    case "phone":
      url = `tel:${raw.replace(/[^\d+]/g, "")}`;
      break;
    case "mention":
      url = `https://t.me/${raw.replace(/^@/, "")}`;
      break;
    case "mention_name":
      url = `tg://user?id=${e.user_id}`;
      break;
  }
  // Percent-encode what would end or break a Markdown link destination.
  return url?.replace(
    /[\s()<>\\]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
  );
}
