/**
 * `--comments`: the comment threads of a channel's posts, exported as the discussion group's
 * chat (chats/<group id>/), each comment with `comment_of` naming its post and linking its note,
 * and one note per post listing its comments (`comments/<post id>.md`, what the post links to).
 * Threads of the posts this run saw are fetched whole (threads are small next to the channel);
 * comments on other posts, from earlier runs, are kept. Their media are not downloaded.
 */
import type { MediaKind, Message } from "../../core/message.ts";
import { safeJoin } from "../../core/safe_join.ts";
import { ChatExporter } from "../../export/chat_exporter.ts";
import { commentsNote, type NoteLayout } from "../../export/export_layout.ts";
import { renderCommentsNote } from "../../export/render_comments_note.ts";
import type { TgClient } from "../../telegram/client.ts";
import { discussionGroup, fetchComments } from "../../telegram/comments.ts";
import type { MappedMessage } from "../../telegram/history_page.ts";
import type { ChatRef } from "../../telegram/media_messages.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import type { ExportChatResult } from "./export_chat.ts";
import { ResumeWriter } from "./resume_writer.ts";
import { KeptMessages } from "./kept_messages.ts";

/** Options of {@link exportComments}. */
export interface ExportCommentsOptions {
  /** Ids of the posts that have comments. */
  posts: number[];
  /** The note of a post, for the comments' links back to it. */
  postLinkOf?: (postId: number) => string | undefined;
  out: string;
  layout: NoteLayout;
  mediaKinds: ReadonlySet<MediaKind>;
  takeoutId?: string;
  signal?: AbortSignal;
}

/** Exports the comments of `posts`; undefined when the channel has no discussion group. */
export async function exportComments(
  client: TgClient,
  channel: ResolvedChat,
  opts: ExportCommentsOptions,
): Promise<ExportChatResult | undefined> {
  const group = await discussionGroup(client, channel, { postId: opts.posts[0], takeoutId: opts.takeoutId });
  if (!group) return undefined;
  const all = await _fetchAll(client, channel, group, opts);
  const jsonl = `chats/${group.id}/messages.jsonl`;
  const writer = new ResumeWriter(opts.out);
  await writer.prepareStream(jsonl, undefined);
  // what this run does not fetch again stays (comments on posts it did not see, the group's own
  // messages from `export <group>`): a narrower run adds to the group, never shrinks it
  const refetched = new Set(opts.posts);
  const kept = await KeptMessages.open(safeJoin(opts.out, jsonl), {
    after: 0,
    fetched: (m) => m.comment_of !== undefined && refetched.has(m.comment_of.post_id),
    media: new Map(),
  });
  const exporter = new ChatExporter(
    { id: group.id, kind: group.kind, title: group.title, username: group.username },
    writer,
    {
      layout: opts.layout,
      mediaKinds: opts.mediaKinds,
      postLinkOf: (of) => of.chat_id === channel.id ? opts.postLinkOf?.(of.post_id) : undefined,
      signal: opts.signal,
    },
  );
  const threads = new Map<number, Message[]>();
  const add = async (m: Message) => {
    await exporter.add(m);
    if (m.comment_of) threads.set(m.comment_of.post_id, [...threads.get(m.comment_of.post_id) ?? [], m]);
  };
  let last = 0;
  try {
    for (const { message } of all) {
      if (message.id === last) continue; // a comment answering two posts' threads comes once
      last = message.id;
      for await (const k of kept.before(message.id)) await add(k);
      await add(message);
    }
    for await (const k of kept.rest()) await add(k);
    const sum = await exporter.finish();
    for (const [post, comments] of threads) {
      const text = renderCommentsNote(channel, post, comments, {
        post: opts.postLinkOf?.(post),
        linkOf: (id) => exporter.linkOf(id),
      });
      await writer.writeText(`${commentsNote(group.id, post)}.md`, text, opts.signal);
    }
    return {
      ...sum,
      title: group.title,
      fetched: all.length,
      replayed: kept.count,
      notes_written: writer.written,
      media_failed: 0,
      media_skipped: 0,
      media_bytes: 0,
      resumed: false,
    };
  } catch (err) {
    await exporter.abort();
    throw err;
  } finally {
    await kept.close();
  }
}

/** Every comment on `opts.posts`, ascending by id. */
async function _fetchAll(
  client: TgClient,
  channel: ResolvedChat,
  group: ChatRef,
  opts: ExportCommentsOptions,
): Promise<MappedMessage[]> {
  const all: MappedMessage[] = [];
  for (const postId of opts.posts) {
    opts.signal?.throwIfAborted();
    all.push(
      ...await fetchComments(client, channel, {
        postId,
        group,
        takeoutId: opts.takeoutId,
        signal: opts.signal,
      }),
    );
  }
  return all.sort((a, b) => a.message.id - b.message.id);
}
