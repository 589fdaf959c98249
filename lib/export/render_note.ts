/**
 * Whole notes: YAML front matter plus body, for the `message` layout (one note per message or
 * album) and the `day` layout (one note per UTC day, one section per message or album).
 */
import type { Message } from "../core/message.ts";
import { escapeMarkdown } from "./escape_markdown.ts";
import { type NoteContext, renderMessageBody } from "./message_body.ts";
import { toYaml, type YamlValue } from "./yaml.ts";

/**
 * Renders one note for a message or an album (messages sharing `grouped_id`, first one leads).
 *
 * @example
 * ```ts
 * renderMessageNote([msg], ctx); // "---\nid: 5\n...---\n\nhello\n"
 * ```
 */
export function renderMessageNote(album: readonly Message[], ctx: NoteContext, prev?: string): string {
  return `---\n${toYaml(frontMatterOf(album, ctx, prev))}---\n\n${renderMessageBody(album, ctx)}`;
}

/**
 * Renders one day note: a section per album/message, each ending with a `^m<id>` block id; `prev`
 * is the day note before it (the notes of a chat or topic form a chain, so none is an orphan).
 */
export function renderDayNote(
  day: string,
  albums: readonly (readonly Message[])[],
  ctx: NoteContext,
  prev?: string,
): string {
  const topicId = albums[0]?.[0].topic_id;
  const topic = topicId !== undefined ? ctx.chat.topics?.find((t) => t.id === topicId)?.title : undefined;
  const fm: Record<string, YamlValue> = {
    chat: ctx.chat.title,
    chat_id: ctx.chat.id,
    date: day,
    topic_id: topicId,
    topic: topic,
    messages: albums.reduce((n, a) => n + a.length, 0),
    first_id: albums[0]?.[0].id,
    last_id: albums.at(-1)?.at(-1)?.id,
    prev: _wiki(prev),
  };
  const sections = albums.map((album) => {
    const m = album[0];
    const time = new Date(m.date * 1000).toISOString().slice(11, 19);
    const who = _who(m);
    const edited = m.edit_date !== undefined ? " · edited" : "";
    const head = `### ${time}${who ? ` · ${escapeMarkdown(who, { atLineStart: false })}` : ""}${edited}`;
    return `${head}\n\n${renderMessageBody(album, ctx)}\n^m${m.id}\n`;
  });
  const title = [ctx.chat.title, topic, day].filter((x) => x !== undefined).join(" · ");
  return `---\n${toYaml(fm)}---\n\n# ${escapeMarkdown(title, { atLineStart: false })}\n\n${
    sections.join("\n")
  }`;
}

/**
 * The front matter of a message-layout note (docs/export-format.md): flat keys Obsidian's
 * Properties view shows (text, numbers, lists of text or links); the full structure stays in
 * messages.jsonl.
 */
export function frontMatterOf(
  album: readonly Message[],
  ctx: NoteContext,
  prev?: string,
): Record<string, YamlValue> {
  const m = album[0];
  const reply = m.reply_to;
  const f = m.forward;
  const files = album.map((a) => ctx.mediaFileOf(a)).filter((p): p is string => p !== undefined);
  const thumb = album.flatMap((a) => a.media?.derived ?? []).find((d) =>
    d.role === "thumbnail" || d.role === "preview"
  );
  const tags = [...new Set(album.flatMap(_hashtags))];
  return {
    id: m.id,
    aliases: [noteTitle(m)],
    chat: ctx.chat.title,
    chat_id: ctx.chat.id,
    date: _iso(m.date),
    edit_date: m.edit_date !== undefined ? _iso(m.edit_date) : undefined,
    author: m.author
      ? (m.author.name ?? (m.author.username ? `@${m.author.username}` : String(m.author.id)))
      : undefined,
    author_id: m.author?.id,
    author_username: m.author?.username,
    post_author: m.post_author,
    topic_id: m.topic_id,
    topic: m.topic_id !== undefined ? ctx.chat.topics?.find((t) => t.id === m.topic_id)?.title : undefined,
    album: album.length > 1 || m.grouped_id !== undefined ? album.map((a) => a.id) : undefined,
    reply_to: reply?.message_id,
    reply_to_chat: reply?.chat_id,
    reply_to_note: reply?.message_id !== undefined && reply.chat_id === undefined
      ? _wiki(ctx.linkOf(reply.message_id))
      : undefined,
    forward_from: f ? f.from_name ?? (f.from_id !== undefined ? String(f.from_id) : "unknown") : undefined,
    forward_from_id: f?.from_id,
    forward_date: f?.date !== undefined ? _iso(f.date) : undefined,
    forward_post: f?.channel_post,
    via_bot: m.via_bot?.username ?? (m.via_bot?.id !== undefined ? String(m.via_bot.id) : undefined),
    service: m.service?.type,
    reactions: m.reactions && m.reactions.length > 0
      ? m.reactions.map((r) => `${r.emoji ?? r.custom_emoji_id ?? "?"} ${r.count}`)
      : undefined,
    media: _list(album.filter((a) => a.media).map((a) => a.media!.kind)),
    media_files: _list(files.map((p) => `[[${p}]]`)),
    thumbnail: thumb?.file,
    // seconds, as ffprobe measured it when the media flags probed the file
    duration: album.map((a) => a.media?.probe?.duration ?? a.media?.duration).find((d) => d !== undefined),
    poll: m.poll ? m.poll.question : undefined,
    views: m.views,
    comments: m.comments?.count || undefined,
    tags: _list(tags),
    prev: _wiki(prev),
  };
}

/** A readable title for a message note (its alias): author, time and the start of its text. */
export function noteTitle(m: Message): string {
  const who = _who(m);
  const when = new Date(m.date * 1000).toISOString().slice(0, 16).replace("T", " ");
  const first = _firstLine(m.text) ??
    (m.media ? m.media.kind : m.service ? m.service.type.replaceAll("_", " ") : "");
  const text = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  return [who, when, text].filter((x) => x && x.length > 0).join(" · ");
}

/** The first line of `text` with more than whitespace, trimmed (without splitting every line). */
function _firstLine(text: string): string | undefined {
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end).trim();
    if (line.length > 0) return line;
    at = end + 1;
  }
  return undefined;
}

/** Who sent `m`, as a person reads it: name, post signature, or @username. */
function _who(m: Message): string | undefined {
  return m.author?.name ?? m.post_author ?? (m.author?.username ? `@${m.author.username}` : undefined);
}

function _hashtags(m: Message): string[] {
  // Obsidian tags: letters, digits, _ - / (and not only digits)
  return m.entities.filter((e) => e.type === "hashtag")
    .map((e) => m.text.slice(e.offset, e.offset + e.length).replace(/^#/, ""))
    .filter((t) => /^[\p{L}\p{N}_/-]+$/u.test(t) && !/^\d+$/.test(t));
}

function _list<T extends YamlValue>(xs: T[]): T[] | undefined {
  return xs.length > 0 ? xs : undefined;
}

function _wiki(link: string | undefined): string | undefined {
  return link ? `[[${link}]]` : undefined;
}

function _iso(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}
