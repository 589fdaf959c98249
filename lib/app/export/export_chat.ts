/**
 * Exports one chat (or one forum topic) into the output: replays what earlier runs wrote (from
 * messages.jsonl, to rebuild the renderer's state), fetches the rest in shards, renders through
 * the shared ChatExporter and checkpoints into the KV store after every page. A kill at any point
 * loses at most the page in flight; the next run truncates messages.jsonl to the checkpoint.
 */
import { safeJoin } from "../../core/safe_join.ts";
import type { MediaKind, Message } from "../../core/message.ts";
import { toTgpipeError } from "../../core/errors.ts";
import { ChatExporter, type ChatExportSummary } from "../../export/chat_exporter.ts";
import { ExportLayout, type NoteLayout } from "../../export/export_layout.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { AccountConfig } from "../../telegram/connect_files.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { type MediaFetch, MediaPrefetch } from "./media_prefetch.ts";
import type { ResolvedChat } from "../../telegram/resolve_chat.ts";
import { NoteSink } from "./note_sink.ts";
import { ResumeWriter } from "./resume_writer.ts";
import { type FetchPool, planShards, shardFeed } from "./shard_feed.ts";

export type { MediaFetch };

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
  takeoutId?: string;
  fetchMedia?: MediaFetch;
  /** Media files downloaded at once, ahead of the exporter. Default 8. */
  mediaConcurrency?: number;
  postProcess?: MediaPostProcess;
  /** Called with every message written (comment collection). */
  onMessage?: (msg: Message) => void;
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
  resumed: boolean;
}

/** The KV checkpoint of one chat: messages.jsonl length and the last message it holds. */
interface Checkpoint {
  /** The lower bound (exclusive) the export started from; absent in older checkpoints (0). */
  from?: number;
  last_id: number;
  bytes: number;
  lines: number;
  done: boolean;
}

/** Page checkpoints that may wait for their notes while later pages render. */
const CHECKPOINTS_AHEAD = 4;

/** Runs one chat's export (see module comment). */
export async function exportChat(chat: ResolvedChat, opts: ExportChatOptions): Promise<ExportChatResult> {
  const key = `chat:${chat.id}${opts.topicId !== undefined ? `/topic:${opts.topicId}` : ""}|${opts.layout}`;
  const stored = opts.refresh
    ? undefined
    : await opts.store.getCursor(opts.jobId, key) as Checkpoint | undefined;
  // Incremental runs add what is above the checkpoint. A run reaching lower than the saved export
  // did (a message link or --limit first, the whole chat now) starts the chat over: its output
  // then holds every message, never a gap.
  const saved = stored && (stored.from ?? 0) <= opts.bounds.after ? stored : undefined;
  const from = saved?.from ?? opts.bounds.after;
  // notes are created on the write worker, beside rendering (file creation is kernel time)
  const notes = new NoteSink();
  const writer = new ResumeWriter(opts.out, { notes });
  writer.compare = opts.refresh;
  const layout = new ExportLayout(chat, opts.layout);
  const jsonlPath = `${layout.chatDir}/messages.jsonl`;
  await writer.prepareStream(jsonlPath, saved ? { bytes: saved.bytes, lines: saved.lines } : undefined);
  const replayedMedia = new Map<number, string | null>();
  const files = new Map<number, RemoteFile>();
  const res = { fetched: 0, replayed: 0, media_failed: 0, media_skipped: 0 };
  const prefetch = opts.fetchMedia &&
    new MediaPrefetch(opts.fetchMedia, { concurrency: opts.mediaConcurrency ?? 8, signal: opts.signal });
  const fetchMedia = async (msg: Message, path: string, signal?: AbortSignal): Promise<boolean | string> => {
    if (replayedMedia.has(msg.id)) return replayedMedia.get(msg.id) ?? false;
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
  const exporter = new ChatExporter(chat, writer, {
    layout: opts.layout,
    mediaKinds: opts.mediaKinds,
    fetchMedia,
    signal: opts.signal,
  });
  const stream = await writer.openStream(jsonlPath);
  let lastId = saved?.last_id ?? 0;
  try {
    if (saved && saved.lines > 0) {
      writer.replaying = true;
      for await (const msg of _readJsonl(safeJoin(opts.out, `${jsonlPath}.part`), replayedMedia)) {
        opts.onMessage?.(msg);
        await exporter.add(msg);
        res.replayed++;
      }
      writer.replaying = false;
    }
    const after = Math.max(lastId, opts.bounds.after);
    const ranges = planShards(after, opts.bounds.upTo, opts.shardSize);
    // A checkpoint is recorded only once every line and note it covers is on disk. Lines are
    // written at once; notes are still on the write worker, so the record waits for them while
    // the next pages render (records stay in order; at most CHECKPOINTS_AHEAD outstanding, and
    // the note sink's own queue bounds the notes waiting).
    let saving: Promise<void> = Promise.resolve();
    const outstanding: Promise<void>[] = [];
    const checkpoint = async (done: boolean) => {
      const written = writer.flush(opts.signal);
      written.catch(() => {}); // surfaces through `saving`
      lastId = stream.lastId ?? lastId;
      const cp: Checkpoint = { from, last_id: lastId, bytes: stream.bytes, lines: stream.lines, done };
      saving = saving.then(() => written).then(() => opts.store.setCursor(opts.jobId, key, cp));
      saving.catch(() => {});
      outstanding.push(saving);
      if (done) await saving;
      else if (outstanding.length > CHECKPOINTS_AHEAD) await outstanding.shift();
    };
    const inBounds = (m: Message) =>
      !(opts.bounds.minDate !== undefined && m.date < opts.bounds.minDate) &&
      !(opts.bounds.maxDate !== undefined && m.date >= opts.bounds.maxDate);
    const feed = shardFeed(opts.pool, {
      account: opts.account,
      chat,
      ranges,
      lanes: opts.lanes,
      replyTo: opts.topicId,
      takeoutId: opts.takeoutId,
      emit: opts.emit,
      signal: opts.signal,
    });
    // With media, each page's files start downloading as soon as it arrives, while the exporter
    // still renders (and waits on the files of) the page before it. (Without, files stay unused.)
    const prefetchPage = (page: { messages: Array<{ message: Message; file?: RemoteFile }> }) => {
      for (const { message, file } of page.messages) {
        if (!file || !inBounds(message)) continue;
        files.set(message.id, file);
        _prefetch(prefetch, message, file, {
          out: opts.out,
          layout,
          mediaKinds: opts.mediaKinds,
          max: opts.maxMediaSize,
        });
      }
    };
    for await (const page of prefetch ? _readAhead(feed, prefetchPage) : feed) {
      const kept = page.messages.filter(({ message }) => inBounds(message));
      for (const { message } of kept) {
        opts.onMessage?.(message);
        await exporter.add(message);
        res.fetched++;
      }
      await checkpoint(false);
      if (res.fetched > 0 && res.fetched % 5000 < page.messages.length) {
        opts.emit({ type: "log", level: "info", message: `${chat.title}: ${res.fetched} messages fetched` });
      }
    }
    const sum = await exporter.finish();
    await checkpoint(true);
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
    await prefetch?.close();
    notes.close();
  }
}

/**
 * The pages of `feed`, each handed to `onArrive` as soon as it arrives: the next page is read
 * while the caller works on this one.
 */
async function* _readAhead<T>(feed: AsyncGenerator<T>, onArrive: (page: T) => void): AsyncGenerator<T> {
  const pull = () => {
    const p = feed.next().then((r) => {
      if (!r.done) onArrive(r.value);
      return r;
    });
    p.catch(() => {}); // surfaces when awaited below
    return p;
  };
  let next = pull();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = pull();
      yield r.value;
    }
  } finally {
    // a generator takes one step at a time: the read in flight settles before the feed closes
    await next.catch(() => {});
    await feed.return(undefined);
  }
}

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

/** Messages of a messages.jsonl, as the model (without `note` and `media.file`). */
async function* _readJsonl(path: string, media: Map<number, string | null>): AsyncGenerator<Message> {
  for await (const line of _lines(path)) {
    if (line.length === 0) continue;
    const row = JSON.parse(line) as Message & { note?: string; media?: { file?: string | null } };
    delete row.note;
    if (row.media) {
      media.set(row.id, row.media.file ?? null);
      delete row.media.file;
    }
    yield row as Message;
  }
}

async function* _lines(path: string): AsyncGenerator<string> {
  const file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  let rest = "";
  // readable closes the file when it ends
  for await (const chunk of file.readable) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, nl);
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}
