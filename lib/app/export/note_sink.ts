/**
 * Where `tgpipe export` sends its notes: batches of whole files written by one write worker in
 * submission order (so a later write of a path always wins). `add` returns at once unless the
 * worker is behind by more than the queue allows (back-pressure: memory stays bounded);
 * `flush` waits until everything added is on disk, which the KV checkpoint relies on.
 */
import { WorkerStartError } from "../../core/errors.ts";
import { WorkerPool } from "../../engine/worker_pool.ts";
import { type TextBatch, writeTextBatch } from "../../export/write_text_batch.ts";
import type { Emit } from "../../progress/events.ts";

/** Options of {@link NoteSink}. */
export interface NoteSinkOptions {
  /** Files per batch. Default 50. */
  batchFiles?: number;
  /** Batches queued or running before `add` waits. Default 4. */
  queue?: number;
  /** The write worker's module; default workers/write_worker.ts (tests give one that cannot start). */
  workerUrl?: URL;
  /** Receives the one warning when the write worker cannot start and notes are written here. */
  emit?: Emit;
}

/** See the module comment. */
export class NoteSink {
  #pool: WorkerPool<TextBatch, number>;
  #batch: TextBatch["files"] = [];
  #batchFiles: number;
  #inFlight: Promise<number>[] = [];
  #queue: number;
  #error: unknown;
  #emit: Emit | undefined;
  /** Folders made by batches written on this thread (a write worker that cannot start). */
  #dirs: Set<string> | undefined;

  constructor(opts: NoteSinkOptions = {}) {
    this.#batchFiles = Math.max(1, opts.batchFiles ?? 50);
    this.#queue = Math.max(1, opts.queue ?? 4);
    // one worker: batches run in submission order
    this.#emit = opts.emit;
    this.#pool = new WorkerPool(new URL("../../../workers/write_worker.ts", import.meta.url), {
      testUrl: opts.workerUrl,
      size: 1,
      queueSize: this.#queue,
    });
  }

  /** Queues a whole file (absolute path inside the output); rejects if an earlier batch failed. */
  async add(path: string, text: string, signal?: AbortSignal): Promise<void> {
    this.#throwIfFailed();
    this.#batch.push({ path, text });
    if (this.#batch.length >= this.#batchFiles) await this.#submit(signal);
  }

  /**
   * Waits until every file added before the call is written (files added meanwhile may be
   * waited for too); rejects with the first failure.
   */
  async flush(signal?: AbortSignal): Promise<void> {
    await this.#submit(signal);
    await Promise.all([...this.#inFlight]).catch((err) => {
      this.#error ??= err;
    });
    this.#throwIfFailed();
  }

  /** Ends the worker (files not flushed may be lost: the next run rewrites them). */
  close(): void {
    this.#pool.terminate();
  }

  async #submit(signal?: AbortSignal): Promise<void> {
    if (this.#batch.length === 0) return;
    const files = this.#batch;
    this.#batch = [];
    // keep at most `queue` batches outstanding: wait for the oldest first
    while (this.#inFlight.length >= this.#queue) {
      await this.#inFlight.shift()!.catch((err) => {
        this.#error ??= err;
      });
      this.#throwIfFailed();
    }
    const h = await this.#pool.submit({ files }, { signal }).catch((err) => ({
      result: Promise.reject(err),
    }));
    // A write worker that cannot start took no batch: each is written here instead. Their
    // rejections come in submission order and the writes are synchronous, so the order holds.
    const written = h.result.catch((err) => this.#writeHere(files, err));
    // handled here as the pool handles its own: a stopped export never flushes, and an unhandled
    // rejection would end the process with exit 1 instead of 75
    written.catch(() => {});
    this.#inFlight.push(written);
  }

  #writeHere(files: TextBatch["files"], err: unknown): number {
    if (!(err instanceof WorkerStartError)) throw err;
    if (!this.#dirs) {
      this.#dirs = new Set();
      const message = `The write worker could not start (${err.why}); writing notes on the main thread`;
      this.#emit?.({ type: "warning", code: "WRITE_WORKER_UNAVAILABLE", message });
    }
    return writeTextBatch({ files }, this.#dirs);
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }
}
