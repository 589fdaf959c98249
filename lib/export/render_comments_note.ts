/**
 * The note listing the comments on one channel post (`chats/<group id>/comments/<post id>.md`):
 * what the post's "💬 N comments" links to, with a link back to the post and one line per comment
 * linking its note, so posts and comments are linked both ways.
 */
import type { Message } from "../core/message.ts";
import { escapeMarkdown } from "./escape_markdown.ts";
import { noteTitle } from "./render_note.ts";
import { toYaml } from "./yaml.ts";

/** Renders the comments note of post `postId` of `channel`; `comments` in id order. */
export function renderCommentsNote(
  channel: { id: number; title: string },
  postId: number,
  comments: readonly Message[],
  links: { post?: string; linkOf: (id: number) => string | undefined },
): string {
  const fm = toYaml({
    chat: channel.title,
    chat_id: channel.id,
    post: postId,
    post_note: links.post ? `[[${links.post}]]` : undefined,
    comments: comments.length,
  });
  const post = links.post ? `[[${links.post}|post ${postId}]]` : `post ${postId}`;
  const title = escapeMarkdown(channel.title, { atLineStart: false });
  const rows = comments.map((c) => {
    const text = escapeMarkdown(noteTitle(c), { atLineStart: false });
    const link = links.linkOf(c.id);
    return link ? `- [[${link}|${text}]]` : `- ${text}`;
  });
  const n = comments.length;
  return `---\n${fm}---\n\n# Comments on ${title} post ${postId}\n\n💬 ${n} ${
    n === 1 ? "comment" : "comments"
  } on ${post}\n\n${rows.join("\n")}\n`;
}
