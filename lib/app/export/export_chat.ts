/**
 * Exports one chat (or one forum topic) into the output: replays what earlier runs wrote (from
 * messages.jsonl, to rebuild the renderer's state), fetches the rest in shards, renders through
 * the shared ChatExporter and checkpoints into the KV store after every page. A kill at any point
 * loses at most the page in flight; the next run truncates messages.jsonl to the checkpoint.
 */
import { safeJoin } from "../../core/safe_join.ts";
import type { MediaKind, Message } from "../../core/message.ts";
import { toTgpipeError } from "../../core/errors.ts";
import { HeapTrimmer } from "../../core/heap_trim.ts";
import { ChatExporter, type ChatExportSummary } from "../../export/chat_exporter.ts";
import { ExportLayout, type NoteLayout } from "../../export/export_layout.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { AccountConfig } from "../../telegram/connect_files.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { type MediaFetch, MediaPrefetch } from "./media_prefetch.ts";
import { readAhead } from "./read_ahead.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import { NoteSink } from "./note_sink.ts";
import { ResumeWriter } from "./resume_writer.ts";
import { type FetchPool, planShards, shardFeed, type ShardRange } from "./shard_feed.ts";
import { ChatCheckpoints } from "./chat_checkpoints.ts";
import { KeptMessages } from "./kept_messages.ts";
import { readJsonlMessages } from "./read_jsonl.ts";

export type { MediaFetch };

/**
 * Media files export downloads at once by default, ahead of the exporter. 16, not download's 8:
 * the exporter waits for each file in message order, and a file waiting out a FLOOD_WAIT holds its
 * slot; parts in flight stay capped at 48 per account, so the network sees no more at once. (One
 * of the changes `deno task bench faults` measured together; 48 files measured no faster than 16.)
 */
export const MEDIA_CONCURRENCY = 16;

/**
 * Optional step after a media file is in place (transcode, transcribe, ...); may update
 * `msg.media`, and may return another path (relative to the output) for notes to link to (dedup).
 */
export type MediaPostProcess = (msg: Message, path: string, signal?: AbortSignal) => Promise<string | void>;

/** Id bounds of one chat's export (resolved from --min-id/--max-id/--after/--before/--limit). */
export interface IdBounds {
  /** Exclusive lower bound. */
  after: number;
  /** Inclusive upper bound. */
  upTo: number;
  /** Unix seconds: drop messages outside [minDate, maxDate). */
  minDate?: number;
  maxDate?: number;
  /** About how many messages are within the bounds (for progress). */
  expected?: number;
}

/** Options of {@link exportChat}. */
export interface ExportChatOptions {
  out: string;
  layout: NoteLayout;
  mediaKinds: ReadonlySet<MediaKind>;
  maxMediaSize?: number;
  refresh: boolean;
  store: ProgressStore;
  jobId: string;
  pool: FetchPool;
  account: AccountConfig;
  bounds: IdBounds;
  /** Ids per shard. */
  shardSize: number;
  /** Shards per fetch task (fetched concurrently on one worker connection). Default 1. */
  lanes?: number;
  topicId?: number;
  /** List every topic of a forum in its index, not only those the output holds (`--topics`). */
  allTopics?: boolean;
  takeoutId?: string;
  fetchMedia?: MediaFetch;
  /** Media files downloaded at once, ahead of the exporter. Default {@link MEDIA_CONCURRENCY}. */
  mediaConcurrency?: number;
  postProcess?: MediaPostProcess;
  /** The job item this chat is: progress events (messages, media bytes) name it. */
  item?: string;
  /** Called with every message written (comment collection). */
  onMessage?: (msg: Message) => void;
  /** `--comments`: the note a post's "💬 N comments" links to. */
  commentsLinkOf?: (post: Message) => string | undefined;
  emit: Emit;
  signal?: AbortSignal;
}

/** What one chat export did. */
export interface ExportChatResult extends ChatExportSummary {
  title: string;
  /** Messages fetched from Telegram in this run. */
  fetched: number;
  /** Messages replayed from earlier runs. */
  replayed: number;
  /** Notes written or rewritten in this run. */
  notes_written: number;
  media_failed: number;
  media_skipped: number;
  /** Bytes of the media files downloaded in this run. */
  media_bytes: number;
  resumed: boolean;
}

/** Runs one chat's export (see module comment). */
export async function exportChat(chat: ResolvedChat, opts: ExportChatOptions): Promise<ExportChatResult> {
  const key = `chat:${chat.id}${opts.topicId !== undefined ? `/topic:${opts.topicId}` : ""}|${opts.layout}`;
  const checkpoints = await ChatCheckpoints.load(opts.store, { jobId: opts.jobId, key }, {
    refresh: opts.refresh,
    after: opts.bounds.after,
  });
  const { notes, writer, layout, jsonlPath, saved } = await _openOutput(chat, opts, checkpoints);
  const res = { fetched: 0, replayed: 0, media_failed: 0, media_skipped: 0, media_bytes: 0 };
  const media = _chatMedia(chat, opts, res);
  const kept = await KeptMessages.open(safeJoin(opts.out, jsonlPath), {
    after: saved?.last_id ?? 0,
    fetched: (m) => _inScope(m, opts),
    media: media.replayed,
  });
  const exporter = new ChatExporter(chat, writer, {
    layout: opts.layout,
    mediaKinds: opts.mediaKinds,
    fetchMedia: media.fetch,
    commentsLinkOf: opts.commentsLinkOf,
    signal: opts.signal,
  });
  const stream = await writer.openStream(jsonlPath);
  const src = { flush: (signal?: AbortSignal) => writer.flush(signal), stream };
  const topics = new Set<number>();
  const add = async (msg: Message, counter: "fetched" | "replayed") => {
    if (msg.topic_id !== undefined) topics.add(msg.topic_id);
    await exporter.add(msg);
    res[counter]++;
  };
  try {
    if (saved && saved.lines > 0) {
      // what earlier runs of this export wrote: its notes are on disk, its lines in the .part
      writer.replaying = true;
      for await (const msg of readJsonlMessages(safeJoin(opts.out, `${jsonlPath}.part`), media.replayed)) {
        opts.onMessage?.(msg);
        await add(msg, "replayed");
      }
      writer.replaying = false;
    }
    const ranges = planShards(
      Math.max(checkpoints.lastId, opts.bounds.after),
      opts.bounds.upTo,
      opts.shardSize,
    );
    for await (const page of _pages(chat, ranges, opts, { media, layout })) {
      for (const message of page) {
        for await (const k of kept.before(message.id)) await add(k, "replayed");
        opts.onMessage?.(message);
        await add(message, "fetched");
      }
      await checkpoints.record(src, false, opts.signal);
      _progress(opts, res, kept.count);
      if (res.fetched > 0 && res.fetched % 5000 < page.length) {
        opts.emit({ type: "log", level: "info", message: `${chat.title}: ${res.fetched} messages fetched` });
      }
    }
    for await (const k of kept.rest()) await add(k, "replayed");
    // the index lists the topics the output holds (one topic exported into a whole forum's
    // output keeps the others), or every topic with --topics
    if (!opts.allTopics && chat.topics) {
      chat.topics = chat.topics.filter((t) => t.id === opts.topicId || topics.has(t.id));
    }
    const sum = await exporter.finish();
    await checkpoints.record(src, true, opts.signal);
    return {
      ...sum,
      title: chat.title,
      ...res,
      notes_written: writer.written,
      resumed: saved !== undefined && !saved.done,
    };
  } catch (err) {
    await exporter.abort();
    throw err;
  } finally {
    await kept.close();
    await media.prefetch?.close();
    notes.close();
  }
}

/**
 * The chat's writer, with messages.jsonl prepared from the checkpoint when its file is still what
 * the checkpoint describes; otherwise (a narrower export into the same output rewrote it since)
 * the checkpoint is void and the chat starts over, keeping what it does not fetch again.
 */
async function _openOutput(chat: ResolvedChat, opts: ExportChatOptions, checkpoints: ChatCheckpoints) {
  // notes are created on the write worker, beside rendering (file creation is kernel time)
  const notes = new NoteSink({ emit: opts.emit });
  const writer = new ResumeWriter(opts.out, { notes });
  writer.compare = opts.refresh;
  const layout = new ExportLayout(chat, opts.layout);
  const jsonlPath = `${layout.chatDir}/messages.jsonl`;
  const cp = checkpoints.saved;
  const resumable = await writer.prepareStream(
    jsonlPath,
    cp ? { bytes: cp.bytes, lines: cp.lines, lastId: cp.lines > 0 ? cp.last_id : undefined } : undefined,
  );
  if (!resumable) checkpoints.restart(opts.bounds.after);
  return { notes, writer, layout, jsonlPath, saved: resumable ? cp : undefined };
}

/** The chat's progress as its job item: messages written against the expected count, media bytes. */
function _progress(
  opts: ExportChatOptions,
  res: { fetched: number; replayed: number; media_bytes: number },
  kept: number,
) {
  if (opts.item === undefined) return;
  opts.emit({
    type: "item_progress",
    item: opts.item,
    done_bytes: res.media_bytes,
    // messages of this run's range: fetched now or replayed from its own earlier runs
    done_count: res.fetched + res.replayed - kept,
    total_count: opts.bounds.expected,
    unit: "messages",
  });
}

/** Whether this run fetches `m` (its id, date and topic are within the run's bounds). */
function _inScope(m: Message, opts: ExportChatOptions): boolean {
  const b = opts.bounds;
  if (m.id <= b.after || m.id > b.upTo) return false;
  if ((b.minDate !== undefined && m.date < b.minDate) || (b.maxDate !== undefined && m.date >= b.maxDate)) {
    return false;
  }
  return opts.topicId === undefined || m.topic_id === opts.topicId;
}

interface _ChatMedia {
  /** What the exporter calls for each message with media, in id order. */
  fetch: (msg: Message, path: string, signal?: AbortSignal) => Promise<boolean | string>;
  /** Fetched files by message id, set as pages arrive. */
  files: Map<number, RemoteFile>;
  /** Media links of replayed messages (from messages.jsonl), by message id. */
  replayed: Map<number, string | null>;
  prefetch?: MediaPrefetch;
}

/**
 * How one chat's media are fetched: replayed messages keep their files, others are downloaded
 * (started early by the prefetch, awaited in message order) and post-processed; a failure is
 * that media item's (item_failed), never the chat's.
 */
function _chatMedia(
  chat: ResolvedChat,
  opts: ExportChatOptions,
  res: { media_failed: number; media_skipped: number; media_bytes: number },
): _ChatMedia {
  const replayed = new Map<number, string | null>();
  const files = new Map<number, RemoteFile>();
  const prefetch = opts.fetchMedia &&
    new MediaPrefetch(opts.fetchMedia, {
      concurrency: opts.mediaConcurrency ?? MEDIA_CONCURRENCY,
      signal: opts.signal,
    });
  const fetch = async (msg: Message, path: string, signal?: AbortSignal): Promise<boolean | string> => {
    if (replayed.has(msg.id)) return replayed.get(msg.id) ?? false;
    const file = files.get(msg.id);
    files.delete(msg.id);
    if (!file || !opts.fetchMedia) return false;
    if (opts.maxMediaSize !== undefined && file.size > opts.maxMediaSize) {
      res.media_skipped++;
      return false;
    }
    const dest = safeJoin(opts.out, path);
    try {
      const fetched = prefetch?.take(msg.id, dest) ?? opts.fetchMedia(file, dest, signal);
      if (!(await fetched)) return false;
      res.media_bytes += file.size;
      return (await opts.postProcess?.(msg, path, signal)) ?? true;
    } catch (err) {
      if (signal?.aborted) throw err;
      res.media_failed++;
      const e = toTgpipeError(err);
      opts.emit({
        type: "item_failed",
        item: `media:${chat.id}:${msg.id}`,
        error: { code: e.code, message: e.message, data: { ...e.data } },
      });
      return false;
    }
  };
  return { fetch, files, replayed, prefetch };
}

/**
 * The messages of `ranges`, page by page in id order, within the date bounds. With media, each
 * page's files start downloading as soon as the page arrives from its shard (in any order), while
 * the exporter still renders (and waits on the files of) the pages before it; the feed is read
 * several pages ahead so that it keeps fetching. (Without media, `files` stays unused.)
 */
async function* _pages(
  chat: ResolvedChat,
  ranges: ShardRange[],
  opts: ExportChatOptions,
  c: { media: _ChatMedia; layout: ExportLayout },
): AsyncGenerator<Message[]> {
  const inBounds = (m: Message) =>
    !(opts.bounds.minDate !== undefined && m.date < opts.bounds.minDate) &&
    !(opts.bounds.maxDate !== undefined && m.date >= opts.bounds.maxDate);
  const { prefetch, files } = c.media;
  // a page's media start as soon as the page arrives, before the pages ahead of it (shard_feed.ts)
  const onArrive = (messages: Array<{ message: Message; file?: RemoteFile }>) => {
    for (const { message, file } of messages) {
      if (!file || !inBounds(message)) continue;
      files.set(message.id, file);
      _prefetch(prefetch, message, file, {
        out: opts.out,
        layout: c.layout,
        mediaKinds: opts.mediaKinds,
        max: opts.maxMediaSize,
      });
    }
  };
  const feed = shardFeed(opts.pool, {
    account: opts.account,
    chat,
    ranges,
    lanes: opts.lanes,
    replyTo: opts.topicId,
    takeoutId: opts.takeoutId,
    onArrive: prefetch ? onArrive : undefined,
    emit: opts.emit,
    signal: opts.signal,
  });
  // Pages wait for the writer long enough that V8 promotes them (and the GramJS objects they were
  // decoded from) to the old space, where they pile up until a full collection: one every
  // TRIM_EVERY messages keeps the heap, and so the RSS, the same at 10k and at 100k messages.
  const trim = new HeapTrimmer(TRIM_EVERY);
  let seen = 0;
  for await (const page of prefetch ? readAhead(feed) : feed) {
    yield page.messages.filter(({ message }) => inBounds(message)).map(({ message }) => message);
    trim.progress("messages", seen += page.messages.length);
  }
}

/** Messages between full collections (see _pages); each costs ~20-40 ms on the bench machine. */
const TRIM_EVERY = 4000;

/** Starts the download of a message's media the exporter will ask for (as ChatExporter decides). */
function _prefetch(
  prefetch: MediaPrefetch | undefined,
  msg: Message,
  file: RemoteFile,
  o: { out: string; layout: ExportLayout; mediaKinds: ReadonlySet<MediaKind>; max?: number },
): void {
  if (!prefetch || !msg.media || msg.media.ref === undefined || !o.mediaKinds.has(msg.media.kind)) return;
  if (o.max !== undefined && file.size > o.max) return;
  let dest: string;
  try {
    dest = safeJoin(o.out, o.layout.mediaPath(msg));
  } catch {
    return; // the exporter reports it when it gets there
  }
  prefetch.start(msg.id, file, dest);
}
