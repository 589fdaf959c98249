import { PartialFailureError, toTgpipeError } from "../../core/errors.ts";
import type { Chat, MediaKind, Message } from "../../core/message.ts";
import { safeJoin } from "../../core/safe_join.ts";
import type { Emit } from "../../progress/events.ts";
import { ChatExporter, type ChatExportSummary } from "../../export/chat_exporter.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import { FsExportWriter } from "../../export/fs_export_writer.ts";
import { escapeMarkdown } from "../../export/escape_markdown.ts";
import { readTdesktopExport } from "../../export/tdesktop_reader.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { checkWritable } from "../shared/check_writable.ts";

/** Options of {@link importTdesktop}. */
export interface ImportTdesktopOptions {
  /** Output directory (created if missing). */
  out: string;
  layout: NoteLayout;
  /** Media kinds to copy; empty = none. */
  mediaKinds: ReadonlySet<MediaKind>;
  emit: Emit;
  signal?: AbortSignal;
  /** Messages between two progress log events. Default 1000. */
  batch?: number;
  /** --transcribe, --transcode, --thumbnails, --optimize-images, --dedup (docs/media.md). */
  media?: MediaPostSettings;
}

/** What an import produced. */
export interface ImportTdesktopResult {
  out: string;
  format: string;
  chats: Array<ChatExportSummary & { title: string }>;
  messages: number;
  media_files: number;
  media_bytes: number;
  media_missing: number;
  failed: number;
  elapsed_ms: number;
}

/**
 * `tgpipe import tdesktop`: turns a Telegram Desktop JSON export into the same notes and
 * messages.jsonl as `tgpipe export`, with the same renderer, copying media atomically.
 *
 * @throws {UsageError} for a missing directory, a directory that is not an export, or an
 *   output directory that cannot be written
 * @throws {PartialFailureError} after the run when some chats failed (each was reported)
 */
export async function importTdesktop(
  dir: string,
  opts: ImportTdesktopOptions,
): Promise<ImportTdesktopResult> {
  const t0 = performance.now();
  const exp = await readTdesktopExport(dir, { signal: opts.signal });
  await checkWritable(opts.out);
  const writer = new FsExportWriter(opts.out);
  const emit = opts.emit;
  const batch = opts.batch ?? 1000;
  emit({ type: "start", command: "import", total_items: exp.chats.length });
  const res: ImportTdesktopResult = {
    out: opts.out,
    format: exp.format,
    chats: [],
    messages: 0,
    media_files: 0,
    media_bytes: 0,
    media_missing: 0,
    failed: 0,
    elapsed_ms: 0,
  };
  const media: MediaPost | undefined = opts.media && opts.mediaKinds.size > 0
    ? await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal })
    : undefined;
  const fetchMedia = async (msg: Message, path: string, signal?: AbortSignal): Promise<boolean | string> => {
    // safeJoin on the read side too: a hostile export cannot make us copy files from outside it.
    let source: string;
    try {
      source = safeJoin(dir, msg.media!.ref!);
    } catch {
      emit({
        type: "warning",
        code: "UNSAFE_PATH",
        message: `Media path outside the export: ${msg.media!.ref}`,
      });
      return false;
    }
    const st = await Deno.stat(source).catch(() => undefined);
    if (!st?.isFile) return false;
    res.media_bytes += await writer.copyFile(source, path, signal);
    return media ? await media.process(msg, path, signal) : true;
  };
  try {
    await _importChats(exp.chats, { opts, writer, fetchMedia, res, batch });
  } finally {
    if (media) await media.close();
  }
  await writer.writeText("index.md", _rootIndex(res), opts.signal);
  res.elapsed_ms = Math.round(performance.now() - t0);
  if (res.failed > 0 && res.chats.length === 0) throw new PartialFailureError(res.failed, exp.chats.length);
  return res;
}

async function _importChats(
  chats: Array<{ chat: Chat; messages: Message[] }>,
  c: {
    opts: ImportTdesktopOptions;
    writer: FsExportWriter;
    fetchMedia: (msg: Message, path: string, signal?: AbortSignal) => Promise<boolean | string>;
    res: ImportTdesktopResult;
    batch: number;
  },
): Promise<void> {
  const { opts, writer, fetchMedia, res, batch } = c;
  const emit = opts.emit;
  for (const { chat, messages } of chats) {
    const item = `chat:${chat.id}`;
    emit({ type: "item_start", item, name: chat.title });
    const exporter = new ChatExporter(chat, writer, {
      layout: opts.layout,
      mediaKinds: opts.mediaKinds,
      fetchMedia,
      signal: opts.signal,
    });
    try {
      for (let i = 0; i < messages.length; i++) {
        await exporter.add(messages[i]);
        if ((i + 1) % batch === 0) {
          emit({
            type: "log",
            level: "info",
            message: `${chat.title}: ${i + 1}/${messages.length} messages`,
          });
        }
      }
      const sum = await exporter.finish();
      res.chats.push({ ...sum, title: chat.title });
      res.messages += sum.messages;
      res.media_files += sum.media_files;
      res.media_missing += sum.media_missing;
      emit({
        type: "item_done",
        item,
        name: `${chat.title} (${sum.messages} messages)`,
        path: exporter.layout.chatDir,
      });
    } catch (err) {
      await exporter.abort();
      if (opts.signal?.aborted) throw err;
      const e = toTgpipeError(err);
      res.failed++;
      emit({ type: "item_failed", item, error: { code: e.code, message: e.message, data: { ...e.data } } });
    }
  }
}

function _rootIndex(res: ImportTdesktopResult): string {
  const rows = res.chats.map((c) =>
    `- [[chats/${c.chat_id}/index|${
      escapeMarkdown(c.title, { atLineStart: false })
    }]] (${c.messages} messages)`
  );
  return `# Telegram export\n\n${rows.join("\n")}\n`;
}
