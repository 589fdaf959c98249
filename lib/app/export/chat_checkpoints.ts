/**
 * A chat's KV checkpoints during an export: messages.jsonl's length and the last message it holds,
 * recorded only once every line and note they cover is on disk. Lines are written at once; notes
 * are still on the write worker, so a record waits for them while the next pages render (records
 * stay in order, at most CHECKPOINTS_AHEAD outstanding; the note sink's queue bounds the notes).
 */
import type { ProgressStore } from "../../store/progress_store.ts";

/** The KV checkpoint of one chat. */
export interface Checkpoint {
  /** The lower bound (exclusive) the export started from; absent in older checkpoints (0). */
  from?: number;
  last_id: number;
  bytes: number;
  lines: number;
  done: boolean;
}

/** What a checkpoint covers, read when it is recorded. */
export interface CheckpointSource {
  /** Writes out what was rendered so far (notes on the write worker). */
  flush(signal?: AbortSignal): Promise<void>;
  readonly stream: { readonly lastId?: number; readonly bytes: number; readonly lines: number };
}

/** Page checkpoints that may wait for their notes while later pages render. */
const CHECKPOINTS_AHEAD = 4;

/** See the module comment. */
export class ChatCheckpoints {
  /** The checkpoint this run continues from, if any. */
  readonly saved: Checkpoint | undefined;
  #from: number;
  #lastId: number;
  #saving: Promise<void> = Promise.resolve();
  #outstanding: Promise<void>[] = [];
  #store: ProgressStore;
  #at: { jobId: string; key: string };

  private constructor(
    store: ProgressStore,
    at: { jobId: string; key: string },
    saved: Checkpoint | undefined,
    after: number,
  ) {
    this.#store = store;
    this.#at = at;
    this.saved = saved;
    this.#from = saved?.from ?? after;
    this.#lastId = saved?.last_id ?? 0;
  }

  /**
   * Loads a chat's checkpoint. Incremental runs add what is above it; a run reaching lower than
   * the saved export did (a message link or --limit first, the whole chat now) starts the chat
   * over, so its output holds every message, never a gap. `refresh` starts over too.
   */
  static async load(
    store: ProgressStore,
    at: { jobId: string; key: string },
    opts: { refresh: boolean; after: number },
  ): Promise<ChatCheckpoints> {
    const stored = opts.refresh
      ? undefined
      : await store.getCursor(at.jobId, at.key) as Checkpoint | undefined;
    const saved = stored && (stored.from ?? 0) <= opts.after ? stored : undefined;
    return new ChatCheckpoints(store, at, saved, opts.after);
  }

  /** Forgets the saved checkpoint (its file was rewritten since): the chat starts over above `after`. */
  restart(after: number): void {
    this.#from = after;
    this.#lastId = 0;
  }

  /** The last message id recorded so far. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Records where the chat stands once `src` is flushed; with `done`, waits for every record. */
  async record(src: CheckpointSource, done: boolean, signal?: AbortSignal): Promise<void> {
    const written = src.flush(signal);
    written.catch(() => {}); // surfaces through #saving
    this.#lastId = src.stream.lastId ?? this.#lastId;
    const { bytes, lines } = src.stream;
    const cp: Checkpoint = { from: this.#from, last_id: this.#lastId, bytes, lines, done };
    this.#saving = this.#saving.then(() => written).then(() =>
      this.#store.setCursor(this.#at.jobId, this.#at.key, cp)
    );
    this.#saving.catch(() => {});
    this.#outstanding.push(this.#saving);
    if (done) await this.#saving;
    else if (this.#outstanding.length > CHECKPOINTS_AHEAD) await this.#outstanding.shift();
  }
}
