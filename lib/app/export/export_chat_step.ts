/**
 * The job runner's step for one chat of `tgpipe export`: its forum topics, id bounds and shard
 * plan, the sharded export itself (exportChat) and, with --comments, its comment threads.
 */
import type { MediaKind, Message, Topic } from "../../core/message.ts";
import type { StepContext, StepOutcome } from "../../engine/job_types.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import { listForumTopics } from "../../telegram/forum_topics.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import { exportChat, type ExportChatResult } from "./export_chat.ts";
import { exportComments } from "./export_comments.ts";
import { PostNotes } from "./post_notes.ts";
import { commentsNote, ExportLayout } from "../../export/export_layout.ts";
import type { ExportTarget } from "./export_target.ts";
import type { ExportSession } from "./export_session.ts";
import { type BoundFlags, resolveBounds } from "./resolve_bounds.ts";

/** One chat (or forum topic) to export: a job item. */
export interface ChatItem {
  id: string;
  name: string;
  chat: ResolvedChat;
  topicId?: number;
  /** Only these messages (a message link), inclusive. */
  messages?: { from: number; to: number };
}

/** The job item of a resolved export target (a topic link of a chat that is no forum names a message). */
export function chatItem(chat: ResolvedChat, t: ExportTarget): ChatItem {
  const forum = chat.kind === "forum";
  const topicId = t.topicOrMessage !== undefined ? (forum ? t.topicOrMessage : undefined) : t.topicId;
  const messages = t.topicOrMessage !== undefined && !forum
    ? { from: t.topicOrMessage, to: t.topicOrMessage }
    : t.messages;
  const id = `chat:${chat.id}${topicId !== undefined ? `/${topicId}` : ""}${
    messages ? `#${messages.from}-${messages.to}` : ""
  }`;
  return { id, name: chat.title, chat, topicId, messages };
}

/** The export flags a chat's step needs. */
export interface ChatStepOptions extends Omit<BoundFlags, "topicId" | "takeoutId"> {
  out: string;
  layout: NoteLayout;
  mediaKinds: ReadonlySet<MediaKind>;
  maxMediaSize?: number;
  comments?: boolean;
  topics?: boolean;
  shards?: number;
  shardSize?: number;
  refresh?: boolean;
  /** Media files downloaded at once. Default 16 (MEDIA_CONCURRENCY). */
  concurrency?: number;
  store: ProgressStore;
}

/**
 * Automatic --shards: up to 8 getHistory calls in flight. Measured (scripts/bench_export.ts, 30 ms
 * RTT): one worker parses and maps ~13k msg/s, so 8 pipelined shards on one connection (26k msg/s
 * of network at 30 ms) need at most two workers, and at Telegram's usual 50-150 ms RTT one.
 */
const AUTO_MAX_SHARDS = 8;
/**
 * Ids per shard at most: with `lanes` shards per task and two tasks fetched ahead of the writer,
 * at most 2 × lanes × 500 messages wait in memory.
 */
const MAX_SHARD_SIZE = 500;

/**
 * Automatic --shards for a chat of `span` ids: one per 500 ids (MAX_SHARD_SIZE), at most 8. A small
 * chat's pages are then all in flight at once, so a FLOOD_WAIT or a lost answer on one page overlaps
 * the others instead of holding every later page of its shard (one shard per 2000 ids made a
 * 3000-message chat two serial chains of 15 pages: each wait on them stopped the writer).
 */
export function autoShards(span: number): number {
  return Math.max(1, Math.min(AUTO_MAX_SHARDS, Math.ceil(span / MAX_SHARD_SIZE)));
}

function _commentsLink(post: Message): string | undefined {
  const group = post.comments?.chat_id;
  return group !== undefined && post.comments!.count > 0 ? commentsNote(group, post.id) : undefined;
}

/** Exports one chat; `results` receives its (and its comments') summaries, `shards` the most shards used. */
export async function exportChatStep(
  item: ChatItem,
  c: { session: ExportSession; opts: ChatStepOptions; results: ExportChatResult[]; shards: { max: number } },
  ctx: StepContext,
): Promise<StepOutcome> {
  const { session, opts } = c;
  const { chat, topicId } = item;
  const { client, takeoutId } = session;
  const signal = ctx.signal;
  // every forum: notes carry their topic's title; the index lists all of them with --topics
  if (chat.kind === "forum") {
    const topics: Topic[] = await listForumTopics(client, chat, { takeoutId, signal });
    // all of them: exportChat lists the ones its output holds (one topic may join a whole forum)
    chat.topics = topics;
  }
  const m = item.messages;
  const bounds = await resolveBounds(client, chat, {
    ...opts,
    minId: m ? Math.max(m.from, opts.minId ?? 1) : opts.minId,
    maxId: m ? Math.min(m.to, opts.maxId ?? m.to) : opts.maxId,
    topicId,
    takeoutId,
  });
  const span = Math.max(0, bounds.upTo - bounds.after);
  const shards = opts.shards ?? autoShards(span);
  const pool = session.fetchPool();
  // --comments: posts link their comments' note, comments link back to their post
  const postNotes = new PostNotes(new ExportLayout(chat, opts.layout));
  const withComments = opts.comments === true && chat.kind === "channel";
  const res = await exportChat(chat, {
    out: opts.out,
    layout: opts.layout,
    mediaKinds: opts.mediaKinds,
    maxMediaSize: opts.maxMediaSize,
    refresh: opts.refresh ?? false,
    store: opts.store,
    jobId: ctx.jobId,
    pool,
    account: session.account,
    bounds,
    shardSize: opts.shardSize ?? Math.max(100, Math.min(MAX_SHARD_SIZE, Math.ceil(span / shards))),
    lanes: Math.ceil(shards / pool.size),
    topicId,
    allTopics: opts.topics ?? false,
    takeoutId,
    fetchMedia: session.fetchMedia,
    mediaConcurrency: opts.concurrency,
    postProcess: session.postProcess,
    item: item.id,
    onMessage: (m: Message) => postNotes.see(m),
    commentsLinkOf: withComments ? _commentsLink : undefined,
    emit: ctx.emit,
    signal,
  });
  c.results.push(res);
  c.shards.max = Math.max(c.shards.max, shards);
  if (withComments && postNotes.posts.length > 0) {
    const comments = await exportComments(client, chat, {
      posts: postNotes.posts,
      postLinkOf: (id) => postNotes.linkOf(id),
      out: opts.out,
      layout: opts.layout,
      mediaKinds: opts.mediaKinds,
      takeoutId,
      signal,
    });
    if (comments) c.results.push(comments);
  }
  return {
    name: `${chat.title} (${res.messages} messages)`,
    path: `chats/${chat.id}`,
    bytes: res.media_bytes,
    partial: res.media_failed,
  };
}
