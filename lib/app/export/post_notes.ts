/**
 * `--comments`: where a channel's posts are in the export, so each comment links back to its post.
 * Messages are seen in id order as the channel is written; an album's note is named after its
 * first message, so a post inside an album links to that note.
 */
import type { Message } from "../../core/message.ts";
import type { ExportLayout } from "../../export/export_layout.ts";

/** See the module comment. */
export class PostNotes {
  /** Posts seen with comments, in id order: their threads are fetched. */
  readonly posts: number[] = [];
  #links = new Map<number, string>();
  #album: { grouped: string; head: Message } | undefined;

  constructor(readonly layout: ExportLayout) {}

  /** Records a message of the channel as it is written. */
  see(m: Message): void {
    const head = m.grouped_id !== undefined && this.#album?.grouped === m.grouped_id ? this.#album.head : m;
    this.#album = m.grouped_id !== undefined ? { grouped: m.grouped_id, head } : undefined;
    if (!m.comments || m.comments.count <= 0) return;
    this.posts.push(m.id);
    const note = this.layout.noteOf(head, head.id);
    this.#links.set(m.id, this.layout.layout === "day" ? `${note}#^m${head.id}` : note);
  }

  /**
   * The wikilink target of post `id`; a post not seen in this run (kept from an earlier one) is
   * named from its id when notes are per message, else unknown.
   */
  linkOf(id: number): string | undefined {
    return this.#links.get(id) ??
      (this.layout.layout === "message" ? `${this.layout.chatDir}/notes/${Math.trunc(id)}` : undefined);
  }
}
