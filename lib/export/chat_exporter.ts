import type { Chat, MediaKind, Message } from "../core/message.ts";
import type { ExportWriter, StreamFile } from "./export_writer.ts";
import { ExportLayout, type NoteLayout, utcDay } from "./export_layout.ts";
import type { NoteContext } from "./message_body.ts";
import { renderDayNote, renderMessageNote } from "./render_note.ts";
import { renderChatIndex } from "./render_chat_index.ts";
import { LinkIndex } from "./link_index.ts";
import type { ChatExportSummary } from "./chat_export_summary.ts";

// Callers read the summary type where they get the exporter.
export type { ChatExportSummary };

/** Options of {@link ChatExporter}. */
export interface ChatExportOptions {
  layout: NoteLayout;
  /** Media kinds to put in the output; an empty set means none. */
  mediaKinds: ReadonlySet<MediaKind>;
  /**
   * Materialises a message's media at `path` through the writer; false when unavailable, or the
   * path notes should link to instead (a deduplicated copy stored once elsewhere).
   */
  fetchMedia?: (msg: Message, path: string, signal?: AbortSignal) => Promise<boolean | string>;
  /** A channel's posts link their comments' note (`--comments`, export_layout.ts commentsNote). */
  commentsLinkOf?: (post: Message) => string | undefined;
  /** A discussion group's comments link the post they are on. */
  postLinkOf?: (of: NonNullable<Message["comment_of"]>) => string | undefined;
  signal?: AbortSignal;
}

/**
 * Renders one chat, message by message, into notes, `messages.jsonl`, `chat.json` and `index.md`
 * through an {@link ExportWriter}. Messages must arrive in ascending id order (the sharded fetch
 * and the Desktop reader both keep it); albums and days are buffered until they are complete,
 * so every note is written once, whole.
 */
export class ChatExporter {
  readonly layout: ExportLayout;
  #links = new LinkIndex();
  #media = new Map<number, string>();
  #album: Message[] = [];
  #day: string | undefined;
  #dayNotes = new Map<string, Message[][]>();
  #days = new Set<string>();
  /** The last note written per note folder (chat or topic): the next one links back to it. */
  #prev = new Map<string, string>();
  /** The first note of every month ("YYYY-MM") and of every topic, for the chat index. */
  #months = new Map<string, string>();
  #topicFirst = new Map<number, string>();
  #jsonl: StreamFile | undefined;
  #sum: ChatExportSummary;
  #ctx: NoteContext;

  constructor(readonly chat: Chat, readonly writer: ExportWriter, readonly opts: ChatExportOptions) {
    this.layout = new ExportLayout(chat, opts.layout);
    this.#sum = {
      chat_id: chat.id,
      layout: opts.layout,
      messages: 0,
      notes: 0,
      media_files: 0,
      media_missing: 0,
    };
    this.#ctx = {
      chat,
      layout: this.layout,
      linkOf: (id) => this.#linkOf(id),
      mediaFileOf: (m) => this.#media.get(m.id),
      commentsLinkOf: opts.commentsLinkOf,
      postLinkOf: opts.postLinkOf,
    };
  }

  /** Adds the next message (ascending id order). */
  async add(msg: Message): Promise<void> {
    this.opts.signal?.throwIfAborted();
    const cur = this.#album[0];
    if (
      cur &&
      !(msg.grouped_id !== undefined && msg.grouped_id === cur.grouped_id && msg.topic_id === cur.topic_id)
    ) {
      await this.#flushAlbum();
    }
    this.#album.push(msg);
  }

  /** Writes what is buffered, commits messages.jsonl and writes the chat index. */
  async finish(): Promise<ChatExportSummary> {
    await this.#flushAlbum();
    await this.#flushDay();
    const jsonl = await this.#stream();
    await jsonl.commit();
    const { indexMd, chatJson } = renderChatIndex(this.chat, this.#sum, {
      layout: this.layout,
      days: [...this.#days],
      months: [...this.#months],
      topicFirst: this.#topicFirst,
    });
    await this.writer.writeText(`${this.layout.chatDir}/chat.json`, chatJson, this.opts.signal);
    await this.writer.writeText(`${this.layout.chatDir}/index.md`, indexMd, this.opts.signal);
    return { ...this.#sum };
  }

  /** Drops the partial messages.jsonl after a failure (notes already written stay whole). */
  async abort(): Promise<void> {
    await this.#jsonl?.abort();
  }

  async #stream(): Promise<StreamFile> {
    this.#jsonl ??= await this.writer.openStream(`${this.layout.chatDir}/messages.jsonl`);
    return this.#jsonl;
  }

  async #flushAlbum(): Promise<void> {
    const album = this.#album;
    if (album.length === 0) return;
    this.#album = [];
    const first = album[0];
    const day = utcDay(first.date);
    if (this.opts.layout === "day" && this.#day !== undefined && day !== this.#day) await this.#flushDay();
    const note = this.layout.noteOf(first, first.id);
    for (const m of album) {
      this.#links.set(m.id, first);
      await this.#fetch(m);
    }
    const jsonl = await this.#stream();
    for (const m of album) {
      const media = m.media ? { ...m.media, file: this.#media.get(m.id) ?? null } : undefined;
      await jsonl.write(JSON.stringify({ ...m, media, note: `${note}.md` }) + "\n");
    }
    this.#sum.messages += album.length;
    this.#sum.first_id ??= first.id;
    this.#sum.first_date ??= first.date;
    this.#sum.first_note ??= note;
    this.#sum.last_note = note;
    this.#sum.last_id = album.at(-1)!.id;
    this.#sum.last_date = album.at(-1)!.date;
    this.#days.add(day);
    if (!this.#months.has(day.slice(0, 7))) this.#months.set(day.slice(0, 7), note);
    if (first.topic_id !== undefined && !this.#topicFirst.has(first.topic_id)) {
      this.#topicFirst.set(first.topic_id, note);
    }
    if (this.opts.layout === "message") {
      const prev = this.#chain(note);
      await this.writer.writeText(`${note}.md`, renderMessageNote(album, this.#ctx, prev), this.opts.signal);
      this.#sum.notes++;
    } else {
      this.#day = day;
      const list = this.#dayNotes.get(note) ?? [];
      list.push(album);
      this.#dayNotes.set(note, list);
    }
  }

  async #flushDay(): Promise<void> {
    const day = this.#day;
    if (day === undefined) return;
    for (const [note, albums] of this.#dayNotes) {
      const prev = this.#chain(note);
      await this.writer.writeText(
        `${note}.md`,
        renderDayNote(day, albums, this.#ctx, prev),
        this.opts.signal,
      );
      this.#sum.notes++;
    }
    this.#dayNotes.clear();
    this.#day = undefined;
  }

  /** The note before `note` in its folder (chat or topic), and `note` becomes the last one. */
  #chain(note: string): string | undefined {
    const dir = note.slice(0, note.lastIndexOf("/"));
    const prev = this.#prev.get(dir);
    this.#prev.set(dir, note);
    return prev;
  }

  /** The wikilink target of message `id` once its note is placed (comment lists link it). */
  linkOf(id: number): string | undefined {
    return this.#linkOf(id);
  }

  /** The wikilink target of message `id` (as #flushAlbum names notes), if it was exported. */
  #linkOf(id: number): string | undefined {
    const head = this.#links.get(id);
    if (!head) return undefined;
    const note = this.layout.noteOf(head, head.id);
    return this.opts.layout === "day" ? `${note}#^m${head.id}` : note;
  }

  async #fetch(m: Message): Promise<void> {
    const media = m.media;
    if (!media || !this.opts.mediaKinds.has(media.kind)) return;
    const path = this.layout.mediaPath(m);
    const ok = media.ref !== undefined && this.opts.fetchMedia !== undefined &&
      await this.opts.fetchMedia(m, path, this.opts.signal);
    if (ok) {
      this.#media.set(m.id, typeof ok === "string" ? ok : path);
      this.#sum.media_files++;
    } else this.#sum.media_missing++;
  }
}
