/**
 * The ExportWriter of `tgpipe export`: the renderer's FsExportWriter plus what resuming needs.
 * messages.jsonl is kept as `messages.jsonl.part` across runs, truncated on resume to the length
 * the KV checkpoint recorded, so a kill never leaves duplicate or half lines. While earlier
 * messages are replayed into a fresh ChatExporter (to rebuild its links and albums), note writes
 * are skipped (they are on disk already) and the first `lines` stream writes are dropped (they are
 * in the file already). With `compare` set, a note is only rewritten when its text changed.
 *
 * Speed (100k-message chats): stream lines are buffered and written with one call per flush (the
 * `bytes`/`lines`/`lastId` getters flush first, so a checkpoint never records unwritten bytes);
 * with a NoteSink, notes go to the write worker in batches and `flush()` waits until they are on
 * disk: call it before recording a checkpoint.
 */
import { dirname } from "node:path";
import { safeJoin } from "../../core/safe_join.ts";
import type { ExportWriter, StreamFile } from "../../export/export_writer.ts";
import { FsExportWriter } from "../../export/fs_export_writer.ts";
import type { NoteSink } from "./note_sink.ts";
import { lineTail } from "./line_tail.ts";
import { jsonlId } from "./read_jsonl.ts";

const encoder = new TextEncoder();
/** Buffered stream text written at once past this many UTF-16 units. */
const STREAM_BUFFER = 256 << 10;

/** A stream file that reports how much of it is durable. */
export interface ResumableStream extends StreamFile {
  /** Bytes in the partial file. */
  readonly bytes: number;
  /** Lines in the partial file. */
  readonly lines: number;
  /** Message id of the last line written in this run, if any. */
  readonly lastId: number | undefined;
}

/** See the module comment. */
export class ResumeWriter implements ExportWriter {
  readonly fs: FsExportWriter;
  /** True while replaying: note writes are skipped. */
  replaying = false;
  /** When true, notes are read back and only written when different. */
  compare = false;
  /** Notes written (or rewritten) so far. */
  written = 0;
  #streams = new Map<string, { skip: number }>();
  #open = new Map<string, ResumableStream & { flushSync(): void }>();
  #notes: NoteSink | undefined;

  /** `notes`: write notes through this sink (batched, off this thread) instead of one by one. */
  constructor(readonly root: string, opts: { notes?: NoteSink } = {}) {
    this.fs = new FsExportWriter(root);
    this.#notes = opts.notes;
  }

  /** Writes buffered stream lines and waits for the notes handed to the sink. */
  async flush(signal?: AbortSignal): Promise<void> {
    for (const s of this.#open.values()) s.flushSync();
    await this.#notes?.flush(signal);
  }

  /**
   * Plans a resumed stream: keep `bytes` of it (from `.part`, else the committed file), skip `lines`.
   * Returns false (and plans a fresh stream) when the kept bytes are not what the checkpoint
   * describes (`lines` lines, the last one message `lastId`): another run rewrote the file since.
   */
  async prepareStream(
    path: string,
    keep: { bytes: number; lines: number; lastId?: number } | undefined,
  ): Promise<boolean> {
    const full = safeJoin(this.root, path);
    const part = `${full}.part`;
    await Deno.mkdir(dirname(full), { recursive: true });
    const fresh = async () => {
      await Deno.remove(part).catch(() => {});
      this.#streams.set(path, { skip: 0 });
    };
    if (!keep) return await fresh(), true;
    const partSize = await Deno.stat(part).then((s) => s.size, () => -1);
    if (partSize < keep.bytes) {
      // the run that wrote the checkpoint committed the file (or the .part was lost): start from it
      const doneSize = await Deno.stat(full).then((s) => s.size, () => -1);
      if (doneSize < keep.bytes) return await fresh(), false;
      await Deno.copyFile(full, part);
    }
    await Deno.truncate(part, keep.bytes);
    const tail = await lineTail(part);
    if (tail.lines !== keep.lines || (keep.lastId !== undefined && tail.lastId !== keep.lastId)) {
      return await fresh(), false;
    }
    this.#streams.set(path, { skip: keep.lines });
    return true;
  }

  /** Writes a note unless replaying (or unchanged when comparing). */
  async writeText(path: string, text: string, signal?: AbortSignal): Promise<void> {
    if (this.replaying) return;
    if (this.compare) {
      const old = await Deno.readTextFile(safeJoin(this.root, path)).catch(() => undefined);
      if (old === text) return;
    }
    if (this.#notes) await this.#notes.add(safeJoin(this.root, path), text, signal);
    else await this.fs.writeText(path, text, signal);
    this.written++;
  }

  /** The stream prepared with prepareStream (or a fresh one), appending after the kept bytes. */
  async openStream(path: string): Promise<ResumableStream> {
    const existing = this.#open.get(path);
    if (existing) return existing;
    const plan = this.#streams.get(path) ?? { skip: 0 };
    const full = safeJoin(this.root, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    const part = `${full}.part`;
    const file = await Deno.open(part, { write: true, create: true, append: true });
    let bytes = (await file.stat()).size;
    let lines = plan.skip;
    let skip = plan.skip;
    let open = true;
    let lastText: string | undefined;
    let buffered: string[] = [];
    let bufferedChars = 0;
    const close = () => {
      if (open) file.close();
      open = false;
    };
    const flushSync = () => {
      if (buffered.length === 0 || !open) return;
      const text = buffered.join("");
      const data = encoder.encode(text);
      let off = 0;
      while (off < data.length) off += file.writeSync(data.subarray(off));
      bytes += data.length;
      lines += buffered.length;
      lastText = buffered.at(-1);
      buffered = [];
      bufferedChars = 0;
    };
    const stream = {
      get bytes() {
        flushSync();
        return bytes;
      },
      get lines() {
        flushSync();
        return lines;
      },
      get lastId() {
        flushSync();
        return lastText === undefined ? undefined : jsonlId(lastText);
      },
      flushSync,
      write: (text: string) => {
        // replayed messages produce their lines again: those are in the file already
        if (skip > 0) {
          skip--;
          return Promise.resolve();
        }
        buffered.push(text);
        bufferedChars += text.length;
        if (bufferedChars >= STREAM_BUFFER) flushSync();
        return Promise.resolve();
      },
      commit: async () => {
        flushSync();
        close();
        this.#open.delete(path);
        await Deno.rename(part, full);
      },
      abort: () => {
        // keep the .part: it is the resume point of the next run (buffered lines were never
        // checkpointed, so dropping them is safe)
        buffered = [];
        close();
        this.#open.delete(path);
        return Promise.resolve();
      },
    };
    this.#open.set(path, stream);
    return stream;
  }

  /** Copies a local file into the output (Desktop-style media). */
  copyFile(source: string, path: string, signal?: AbortSignal): Promise<number> {
    return this.fs.copyFile(source, path, signal);
  }
}
