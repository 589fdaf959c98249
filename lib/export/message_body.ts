/**
 * The Markdown body of one message or album: reply/forward lines, text, media embeds, polls,
 * locations, contacts, service actions, reactions and comments. Shared by both note layouts.
 */
import type { Chat, Message } from "../core/message.ts";
import { entitiesToMarkdown } from "./entities_to_markdown.ts";
import { escapeMarkdown } from "./escape_markdown.ts";
import type { ExportLayout } from "./export_layout.ts";
import { renderServiceLine } from "./render_service.ts";

/** What rendering needs beyond the message: where other notes and media files are. */
export interface NoteContext {
  chat: Chat;
  layout: ExportLayout;
  /** Wikilink target (no ".md", optional "#^block") of a message already placed, if known. */
  linkOf(messageId: number): string | undefined;
  /** Output path of a message's media file when it was written, else undefined. */
  mediaFileOf(msg: Message): string | undefined;
  /** The note listing a post's comments, when they are exported (`--comments`). */
  commentsLinkOf?(post: Message): string | undefined;
  /** The note of the channel post a comment is on, when known. */
  postLinkOf?(of: NonNullable<Message["comment_of"]>): string | undefined;
}

/**
 * Renders the body of an album (one or more messages sharing `grouped_id`, or one message).
 *
 * @example
 * ```ts
 * renderMessageBody([msg], ctx); // "↩️ Reply to [[chats/1/notes/5|message 5]]\n\nhello"
 * ```
 */
export function renderMessageBody(album: readonly Message[], ctx: NoteContext): string {
  const first = album[0];
  const blocks: string[] = [];
  const meta = _metaLines(first, ctx);
  if (meta.length > 0) blocks.push(meta.join("\n"));
  if (first.service) blocks.push(renderServiceLine(first.service, first, (id) => ctx.linkOf(id)));
  for (const m of album) {
    if (m.text.length > 0) blocks.push(entitiesToMarkdown(m.text, m.entities).replace(/\n+$/, ""));
  }
  for (const m of album) {
    if (m.media) blocks.push(_media(m, ctx));
    if (m.poll) blocks.push(_poll(m));
    if (m.location) blocks.push(_location(m));
    if (m.contact) blocks.push(_contact(m));
  }
  const tail: string[] = [];
  const reactions = first.reactions ?? [];
  if (reactions.length > 0) {
    tail.push(
      reactions.map((r) => `${escapeMarkdown(r.emoji ?? "❔", { atLineStart: false })} ${r.count}`).join(
        " · ",
      ),
    );
  }
  const comments = first.comments?.count ?? 0;
  if (comments > 0) {
    const text = `${comments} ${comments === 1 ? "comment" : "comments"}`;
    const link = ctx.commentsLinkOf?.(first);
    tail.push(link ? `💬 [[${link}|${text}]]` : `💬 ${text}`);
  }
  if (tail.length > 0) blocks.push(tail.join("\n"));
  return blocks.filter((b) => b.length > 0).join("\n\n") + "\n";
}

function _metaLines(m: Message, ctx: NoteContext): string[] {
  const lines: string[] = [];
  if (m.reply_to?.message_id !== undefined) {
    const id = m.reply_to.message_id;
    const target = m.reply_to.chat_id === undefined ? ctx.linkOf(id) : undefined;
    lines.push(target ? `↩️ Reply to [[${target}|message ${id}]]` : `↩️ Reply to message ${id}`);
    if (m.reply_to.quote_text) {
      lines.push(...escapeMarkdown(m.reply_to.quote_text).split("\n").map((l) => `> ${l}`));
      lines.push("");
    }
  }
  if (m.forward) {
    const f = m.forward;
    const who = f.from_name ??
      (f.from_id !== undefined ? `${f.from_kind ?? "peer"} ${f.from_id}` : "unknown");
    let line = `↪️ Forwarded from **${escapeMarkdown(who, { atLineStart: false })}**`;
    if (f.signature) line += ` (${escapeMarkdown(f.signature, { atLineStart: false })})`;
    if (f.channel_post !== undefined) line += `, post ${f.channel_post}`;
    if (f.date !== undefined) line += `, ${_iso(f.date)}`;
    lines.push(line);
  }
  if (m.via_bot?.username) lines.push(`🤖 via @${escapeMarkdown(m.via_bot.username.replace(/^@/, ""))}`);
  if (m.comment_of) {
    const post = ctx.postLinkOf?.(m.comment_of);
    const id = m.comment_of.post_id;
    lines.push(post ? `💬 Comment on [[${post}|post ${id}]]` : `💬 Comment on post ${id}`);
  }
  return lines;
}

function _media(m: Message, ctx: NoteContext): string {
  const media = m.media!;
  const file = ctx.mediaFileOf(m);
  const label = `${media.kind}${media.emoji ? ` ${media.emoji}` : ""}`;
  const derived = new Map((file ? media.derived ?? [] : []).map((d) => [d.role, d.file]));
  // An optimised or transcoded copy is what a reader wants to see; the original stays one click away.
  const shown = derived.get("optimized") ?? derived.get("transcoded");
  const lines = [
    file
      ? shown ? `![[${shown}]]\n[[${file}|original]]` : `![[${file}]]`
      : `*\\[${escapeMarkdown(label, { atLineStart: false })} not included\\]*`,
  ];
  if (media.transcript !== undefined) {
    // Collapsed by default (Obsidian's "-" callout): long transcripts would bury the chat.
    const text = media.transcript.length > 0 ? media.transcript : "(no speech)";
    lines.push("", "> [!transcript]-", ...escapeMarkdown(text).split("\n").map((l) => `> ${l}`));
  }
  const subs = ["srt", "vtt"].filter((r) => derived.has(r)).map((r) => `[[${derived.get(r)}|${r}]]`);
  if (subs.length > 0) lines.push("", `Subtitles: ${subs.join(" · ")}`);
  return lines.join("\n");
}

function _poll(m: Message): string {
  const p = m.poll!;
  const flags = [
    p.quiz ? "quiz" : "poll",
    p.closed ? "closed" : undefined,
    p.multiple_choice ? "multiple choice" : undefined,
  ];
  const total = p.total_voters ?? p.answers.reduce((n, a) => n + (a.voters ?? 0), 0);
  const head = `📊 **${escapeMarkdown(p.question, { atLineStart: false })}** (${
    flags.filter(Boolean).join(", ")
  }, ${total} voters)`;
  const rows = p.answers.map((a) => {
    const pct = total > 0 && a.voters !== undefined ? ` (${Math.round((a.voters / total) * 100)}%)` : "";
    const votes = a.voters !== undefined ? ` — ${a.voters} votes${pct}` : "";
    const right = a.correct ? " ✅" : "";
    return `- [${a.chosen ? "x" : " "}] ${escapeMarkdown(a.text, { atLineStart: false })}${votes}${right}`;
  });
  return [head, ...rows].join("\n");
}

function _location(m: Message): string {
  const l = m.location!;
  const coords = `${l.latitude}, ${l.longitude}`;
  const url = `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}`;
  const lines = [`📍 [${coords}](${url})${l.live_period ? ` (live for ${l.live_period}s)` : ""}`];
  if (l.venue) {
    const addr = l.venue.address ? `, ${escapeMarkdown(l.venue.address, { atLineStart: false })}` : "";
    lines.push(`**${escapeMarkdown(l.venue.title, { atLineStart: false })}**${addr}`);
  }
  return lines.join("\n");
}

function _contact(m: Message): string {
  const c = m.contact!;
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ") || "contact";
  const phone = c.phone ? `, [${escapeMarkdown(c.phone)}](tel:${c.phone.replace(/[^\d+]/g, "")})` : "";
  return `👤 Contact: **${escapeMarkdown(name, { atLineStart: false })}**${phone}`;
}

function _iso(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}
