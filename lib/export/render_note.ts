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
export function renderMessageNote(album: readonly Message[], ctx: NoteContext): string {
  return `---\n${toYaml(frontMatterOf(album, ctx))}---\n\n${renderMessageBody(album, ctx)}`;
}

/** Renders one day note: a section per album/message, each ending with a `^m<id>` block id. */
export function renderDayNote(
  day: string,
  albums: readonly (readonly Message[])[],
  ctx: NoteContext,
): string {
  const fm: Record<string, YamlValue> = {
    chat: ctx.chat.title,
    chat_id: ctx.chat.id,
    date: day,
    topic_id: albums[0]?.[0].topic_id,
    messages: albums.reduce((n, a) => n + a.length, 0),
    first_id: albums[0]?.[0].id,
    last_id: albums.at(-1)?.at(-1)?.id,
    message_ids: albums.flatMap((a) => a.map((m) => m.id)),
  };
  const sections = albums.map((album) => {
    const m = album[0];
    const time = new Date(m.date * 1000).toISOString().slice(11, 19);
    const who = m.author?.name ?? m.post_author ?? (m.author?.username ? `@${m.author.username}` : undefined);
    const edited = m.edit_date !== undefined ? " · edited" : "";
    const head = `### ${time}${who ? ` · ${escapeMarkdown(who, { atLineStart: false })}` : ""}${edited}`;
    return `${head}\n\n${renderMessageBody(album, ctx)}\n^m${m.id}\n`;
  });
  return `---\n${toYaml(fm)}---\n\n# ${escapeMarkdown(ctx.chat.title, { atLineStart: false })} · ${day}\n\n${
    sections.join("\n")
  }`;
}

/** The front matter fields of a message-layout note (docs/export-format.md). */
export function frontMatterOf(album: readonly Message[], ctx: NoteContext): Record<string, YamlValue> {
  const m = album[0];
  const reply = m.reply_to;
  return {
    id: m.id,
    chat: ctx.chat.title,
    chat_id: ctx.chat.id,
    date: _iso(m.date),
    edit_date: m.edit_date !== undefined ? _iso(m.edit_date) : undefined,
    author: m.author
      ? { id: m.author.id, kind: m.author.kind, name: m.author.name, username: m.author.username }
      : undefined,
    post_author: m.post_author,
    topic_id: m.topic_id,
    album: album.length > 1 || m.grouped_id !== undefined
      ? { grouped_id: m.grouped_id, message_ids: album.map((a) => a.id) }
      : undefined,
    reply_to: reply
      ? {
        message_id: reply.message_id,
        topic_id: reply.topic_id,
        chat_id: reply.chat_id,
        quote_text: reply.quote_text,
        note: reply.message_id !== undefined && reply.chat_id === undefined
          ? _wiki(ctx.linkOf(reply.message_id))
          : undefined,
      }
      : undefined,
    forward: m.forward
      ? {
        from_name: m.forward.from_name,
        from_id: m.forward.from_id,
        from_kind: m.forward.from_kind,
        channel_post: m.forward.channel_post,
        date: m.forward.date !== undefined ? _iso(m.forward.date) : undefined,
        signature: m.forward.signature,
      }
      : undefined,
    via_bot: m.via_bot?.username ?? (m.via_bot?.id !== undefined ? String(m.via_bot.id) : undefined),
    service: m.service?.type,
    reactions: m.reactions?.map((r) => ({
      emoji: r.emoji,
      custom_emoji_id: r.custom_emoji_id,
      count: r.count,
    })),
    media: _mediaList(album, ctx),
    poll: m.poll ? m.poll.question : undefined,
    views: m.views,
    comments: m.comments?.count,
  };
}

function _mediaList(album: readonly Message[], ctx: NoteContext): YamlValue {
  const list = album.filter((a) => a.media).map((a) => {
    const md = a.media!;
    return {
      kind: md.kind,
      file: ctx.mediaFileOf(a) ?? null,
      file_name: md.file_name,
      mime_type: md.mime_type,
      size: md.size,
      width: md.width,
      height: md.height,
      duration: md.duration,
      emoji: md.emoji,
      probe: md.probe ? { ...md.probe } : undefined,
      transcript: md.transcript,
      thumbnail: md.derived?.find((d) => d.role === "thumbnail" || d.role === "preview")?.file,
      derived: md.derived && md.derived.length > 0 ? md.derived.map((d) => ({ ...d })) : undefined,
      sha256: md.sha256,
    };
  });
  return list.length > 0 ? list : undefined;
}

function _wiki(link: string | undefined): string | undefined {
  return link ? `[[${link}]]` : undefined;
}

function _iso(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}
