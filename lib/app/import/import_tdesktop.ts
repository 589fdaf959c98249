import { resolve } from "node:path";
import type { ExitCodeValue } from "../../core/exit_codes.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobItem, StepOutcome } from "../../engine/job_types.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { Chat, MediaKind, Message } from "../../core/message.ts";
import type { Emit } from "../../progress/events.ts";
import { ChatExporter, type ChatExportSummary } from "../../export/chat_exporter.ts";
import type { NoteLayout } from "../../export/export_layout.ts";
import { FsExportWriter } from "../../export/fs_export_writer.ts";
import { escapeMarkdown } from "../../export/escape_markdown.ts";
import {
  readTdesktopExport,
  type TdesktopExport,
  type TdesktopWarning,
} from "../../export/tdesktop_reader.ts";
import { TgpipeError } from "../../core/errors.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { checkWritable } from "../shared/check_writable.ts";
import { exportFile } from "./export_file.ts";

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
  /** Progress store for the job record; default an in-memory one. */
  kv?: string;
  /** Create the progress store's missing folder (only for the default location: a typo never does). */
  createKvParent?: boolean;
  /** Stop starting chats after this long (ms): exit 75, the same command resumes. */
  maxRuntimeMs?: number;
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
  /** 0, or 3 when some chats failed (each reported). */
  exit_code: ExitCodeValue;
}

/**
 * `tgpipe import tdesktop`: turns a Telegram Desktop JSON export into the same notes and
 * messages.jsonl as `tgpipe export`, with the same renderer, copying media atomically.
 *
 * @throws {UsageError} for a missing directory, a directory that is not an export, or an
 *   output directory that cannot be written
 * @throws {StoppedError} on Ctrl-C or --max-runtime (exit 75; the same command resumes)
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
  _reportDamage(exp.warnings, emit);
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
    exit_code: 0,
  };
  const media: MediaPost | undefined = opts.media && opts.mediaKinds.size > 0
    ? await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal })
    : undefined;
  const store = await openProgressStore(opts.kv ?? ":memory:", {
    createParent: opts.createKvParent ?? false,
    signal: opts.signal,
  });
  try {
    const fetchMedia = _copyMedia(dir, { writer, media, res, emit });
    const job = await runJob<_Item>({
      command: "import",
      key: JSON.stringify({ dir: resolve(dir), out: resolve(opts.out), layout: opts.layout }),
      args: `${dir} -> ${opts.out}`,
      plan: () => _plan(exp),
      step: (item, ctx) =>
        item.damaged
          ? Promise.reject(_damagedChat(item.damaged))
          : _importChat(item, { opts, writer, fetchMedia, res, signal: ctx.signal }),
    }, {
      store,
      // an import is rendered again each run (cheap, deterministic, byte-identical)
      skipDone: false,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit,
      signal: opts.signal,
    });
    if (media) await media.close();
    res.failed = job.failed;
    res.exit_code = job.exit_code;
  } finally {
    media?.pool.terminate();
    store.close();
  }
  await writer.writeText("index.md", _rootIndex(res), opts.signal);
  res.elapsed_ms = Math.round(performance.now() - t0);
  return res;
}

/** A chat of the export, or a damaged chat entry that fails as an item (exit 3, reported as item_failed). */
type _Item = JobItem & { chat: Chat; messages: Message[]; damaged?: TdesktopWarning };

function _plan(exp: TdesktopExport): _Item[] {
  const chats: _Item[] = exp.chats.map((c) => ({ ...c, id: `chat:${c.chat.id}`, name: c.chat.title }));
  const damaged = exp.warnings.filter((w) => w.code === "BAD_CHAT").map((w) => ({
    id: `entry:${w.entry}`,
    name: w.entry ?? "chat",
    chat: { id: w.chat_id ?? 0, kind: "supergroup" as const, title: "" },
    messages: [],
    damaged: w,
  }));
  return [...chats, ...damaged];
}

function _damagedChat(w: TdesktopWarning): TgpipeError {
  return new TgpipeError(w.message, { code: "BAD_CHAT", data: { entry: w.entry, field: w.fields[0] } });
}

/** One warning per damaged message: each was read without its bad fields, or left out. */
function _reportDamage(warnings: TdesktopWarning[], emit: Emit): void {
  for (const w of warnings) {
    if (w.code !== "BAD_MESSAGE") continue;
    emit({
      type: "warning",
      code: w.code,
      message: w.message,
      ...(w.chat_id !== undefined ? { item: `chat:${w.chat_id}` } : {}),
    });
  }
}

/** Copies one referenced media file out of the export (never from outside it: exportFile), then post-processes it. */
function _copyMedia(
  dir: string,
  c: { writer: FsExportWriter; media?: MediaPost; res: ImportTdesktopResult; emit: Emit },
): (msg: Message, path: string, signal?: AbortSignal) => Promise<boolean | string> {
  return async (msg, path, signal) => {
    const ref = msg.media!.ref!;
    const found = await exportFile(dir, ref);
    if ("refused" in found) {
      c.emit({
        type: "warning",
        code: "UNSAFE_PATH",
        message: `Media file not copied, ${found.refused}: ${ref}`,
      });
      return false;
    }
    if ("missing" in found) return false;
    const source = found.path;
    c.res.media_bytes += await c.writer.copyFile(source, path, signal);
    return c.media ? await c.media.process(msg, path, signal) : true;
  };
}

/** Renders one chat of the export (a job runner step). */
async function _importChat(
  item: { chat: Chat; messages: Message[] },
  c: {
    opts: ImportTdesktopOptions;
    writer: FsExportWriter;
    fetchMedia: (msg: Message, path: string, signal?: AbortSignal) => Promise<boolean | string>;
    res: ImportTdesktopResult;
    signal: AbortSignal;
  },
): Promise<StepOutcome> {
  const { opts, res } = c;
  const { chat, messages } = item;
  const batch = opts.batch ?? 1000;
  const bytesBefore = res.media_bytes;
  const exporter = new ChatExporter(chat, c.writer, {
    layout: opts.layout,
    mediaKinds: opts.mediaKinds,
    fetchMedia: c.fetchMedia,
    signal: c.signal,
  });
  try {
    for (let i = 0; i < messages.length; i++) {
      await exporter.add(messages[i]);
      if ((i + 1) % batch === 0) {
        opts.emit({
          type: "log",
          level: "info",
          message: `${chat.title}: ${i + 1}/${messages.length} messages`,
        });
      }
    }
  } catch (err) {
    await exporter.abort();
    throw err;
  }
  const sum = await exporter.finish();
  res.chats.push({ ...sum, title: chat.title });
  res.messages += sum.messages;
  res.media_files += sum.media_files;
  res.media_missing += sum.media_missing;
  return {
    name: `${chat.title} (${sum.messages} messages)`,
    path: exporter.layout.chatDir,
    bytes: res.media_bytes - bytesBefore,
  };
}

function _rootIndex(res: ImportTdesktopResult): string {
  const rows = res.chats.map((c) =>
    `- [[chats/${c.chat_id}/index|${
      escapeMarkdown(c.title, { atLineStart: false })
    }]] (${c.messages} messages)`
  );
  return `# Telegram export\n\n${rows.join("\n")}\n`;
}
