/**
 * `--comments`: the comment threads of a channel's posts, exported as the discussion group's
 * chat (chats/<group id>/), each comment with `comment_of` naming its post. Comments are fetched
 * whole on every run (threads are small next to the channel); their media are not downloaded.
 */
import type { MediaKind } from "../../core/message.ts";
import { ChatExporter } from "../../export/chat_exporter.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import type { TgClient } from "../../telegram/client.ts";
import { discussionGroup, fetchComments } from "../../telegram/comments.ts";
import type { MappedMessage } from "../../telegram/history_page.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import type { ExportChatResult } from "./export_chat.ts";
import { ResumeWriter } from "./resume_writer.ts";

/** Options of {@link exportComments}. */
export interface ExportCommentsOptions {
  /** Ids of the posts that have comments. */
  posts: number[];
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
  all.sort((a, b) => a.message.id - b.message.id);
  const writer = new ResumeWriter(opts.out);
  await writer.prepareStream(`chats/${group.id}/messages.jsonl`, undefined);
  const exporter = new ChatExporter(
    { id: group.id, kind: group.kind, title: group.title, username: group.username },
    writer,
    {
      layout: opts.layout,
      mediaKinds: opts.mediaKinds,
      signal: opts.signal,
    },
  );
  let last = 0;
  try {
    for (const { message } of all) {
      if (message.id === last) continue; // a comment answering two posts' threads comes once
      last = message.id;
      await exporter.add(message);
    }
    const sum = await exporter.finish();
    return {
      ...sum,
      title: group.title,
      fetched: all.length,
      replayed: 0,
      notes_written: writer.written,
      media_failed: 0,
      media_skipped: 0,
      media_bytes: 0,
      resumed: false,
    };
  } catch (err) {
    await exporter.abort();
    throw err;
  }
}
