import { TgpipeError, WorkerStartError } from "../core/errors.ts";
import { fromWireError, type FromWorker } from "./worker_protocol.ts";
import { WorkerSlot } from "./worker_slot.ts";

/** Pool settings; every field has a default. */
export interface WorkerPoolOptions {
  /** Number of workers; default navigator.hardwareConcurrency. */
  size?: number;
  /** Tasks waiting for a worker before `submit` waits (back-pressure); default `size`. */
  queueSize?: number;
  /** After a cancel, how long a worker may take to stop before it is replaced; default 2000 ms. */
  cancelGraceMs?: number;
  /**
   * Tasks one worker runs at once; default 1. More suits tasks that mostly wait (network parts):
   * each worker keeps several in flight instead of idling through every round trip.
   */
  perWorker?: number;
  /**
   * Tests only: start this module instead of the one the pool names (a literal URL, so the
   * boundary checker sees which module product code starts), e.g. one that cannot load.
   */
  testUrl?: URL;
}

/** Per-task options. */
export interface SubmitOptions<Ev> {
  /** Cancels the task: removed from the queue, or told to stop in its worker. */
  signal?: AbortSignal;
  /** Buffers of the payload to move (not copy) into the worker. */
  transfer?: Transferable[];
  /** Receives the task's progress events. */
  onEvent?: (event: Ev) => void;
}

/** A task accepted by the pool. */
export interface TaskHandle<Res> {
  id: number;
  /** Settles with the worker's answer; rejects on failure, crash, cancel or pool shutdown. */
  result: Promise<Res>;
}

interface _Task<Req, Res, Ev> {
  id: number;
  payload: Req;
  opts: SubmitOptions<Ev>;
  resolve: (v: Res) => void;
  reject: (e: unknown) => void;
  settled: boolean;
  unlisten: () => void;
}

type _Slot<Req, Res, Ev> = WorkerSlot<Req, Res, Ev, _Task<Req, Res, Ev>>;

/**
 * A generic pool of module Web Workers running `perWorker` tasks at a time each, fed through a bounded
 * queue: `submit` waits while the queue is full, so producers never outrun the workers. Messages
 * are typed (worker_protocol.ts) and go over MessagePorts. A task that throws or a worker that
 * crashes fails only that task; a crashed worker is replaced. A worker gets its tasks only after
 * it says `ready`; if one dies before that and none ever started, the module cannot run here (a
 * broken install, a binary without it): every task then fails at once with a WorkerStartError
 * (payloads not moved) and no other worker is started.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool<Req, Res>(new URL("../../workers/media_worker.ts", import.meta.url), { size: 2 });
 * const res = await pool.run({ ... });
 * await pool.close();
 * ```
 */
export class WorkerPool<Req, Res, Ev = never> {
  readonly size: number;
  readonly queueSize: number;
  readonly perWorker: number;
  #url: URL | string;
  #grace: number;
  #slots: _Slot<Req, Res, Ev>[] = [];
  #queue: _Task<Req, Res, Ev>[] = [];
  #spaceWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #nextId = 1;
  #closed = false;
  /** Some worker said `ready`: the module loads, so a later early death is a crash like any other. */
  #started = false;
  #startError: WorkerStartError | undefined;

  constructor(url: URL | string, opts: WorkerPoolOptions = {}) {
    this.size = opts.size ?? navigator.hardwareConcurrency ?? 1;
    this.queueSize = opts.queueSize ?? this.size;
    this.perWorker = opts.perWorker ?? 1;
    if (!(Number.isInteger(this.size) && this.size >= 1)) throw new RangeError(`Pool size must be >= 1`);
    if (!(Number.isInteger(this.queueSize) && this.queueSize >= 1)) {
      throw new RangeError(`Queue size must be >= 1`);
    }
    if (!(Number.isInteger(this.perWorker) && this.perWorker >= 1)) {
      throw new RangeError(`Tasks per worker must be >= 1`);
    }
    this.#url = opts.testUrl ?? url;
    this.#grace = opts.cancelGraceMs ?? 2000;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Set once a worker died before it was ready and none ever was: the pool runs nothing then. */
  get startError(): WorkerStartError | undefined {
    return this.#startError;
  }

  /** Tasks running in a worker now. */
  get running(): number {
    return this.#slots.reduce((n, s) => n + s.tasks.size, 0);
  }

  /** Queues a task, waiting first while the queue is full; resolves once the task is accepted. */
  async submit(payload: Req, opts: SubmitOptions<Ev> = {}): Promise<TaskHandle<Res>> {
    while (this.#queue.length >= this.queueSize && !this.#closed) {
      opts.signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.#spaceWaiters = this.#spaceWaiters.filter((w) => w !== wake);
          reject(opts.signal!.reason);
        };
        const wake = () => {
          opts.signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#spaceWaiters.push(wake);
        opts.signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    if (this.#startError) throw this.#startError;
    if (this.#closed) throw new TgpipeError("Worker pool is closed", { code: "POOL_CLOSED" });
    opts.signal?.throwIfAborted();
    const id = this.#nextId++;
    let task!: _Task<Req, Res, Ev>;
    const result = new Promise<Res>((resolve, reject) => {
      task = { id, payload, opts, resolve, reject, settled: false, unlisten: () => {} };
    });
    // Callers often collect handles and await later; a failure in between is not "unhandled".
    result.catch(() => {});
    if (opts.signal) {
      const onAbort = () => this.#cancel(task, opts.signal!.reason);
      opts.signal.addEventListener("abort", onAbort, { once: true });
      task.unlisten = () => opts.signal!.removeEventListener("abort", onAbort);
    }
    this.#queue.push(task);
    this.#dispatch();
    return { id, result };
  }

  /** Starts one worker before the first task, so its start-up overlaps the caller's other work. */
  warm(): void {
    if (!this.#closed && this.#slots.length === 0) this.#spawn();
  }

  /** Submits and waits for the answer. */
  async run(payload: Req, opts: SubmitOptions<Ev> = {}): Promise<Res> {
    return await (await this.submit(payload, opts)).result;
  }

  /** Stops accepting tasks, waits for queued and running ones, then ends the workers. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeSpace();
    while (this.#queue.length > 0 || this.#slots.some((s) => s.tasks.size > 0)) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    this.terminate();
  }

  /** Ends every worker now; queued and running tasks reject. */
  terminate(): void {
    this.#closed = true;
    const err = new TgpipeError("Worker pool terminated", { code: "POOL_CLOSED" });
    for (const t of this.#queue.splice(0)) this.#settle(t, err);
    for (const s of this.#slots.splice(0)) {
      for (const t of s.tasks.values()) this.#settle(t, err);
      s.kill();
    }
    this.#wakeSpace();
    this.#wakeIdle();
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && !this.#startError) {
      // an idle worker first, then a new one, then the least busy one with room
      let slot = this.#slots.find((s) => s.tasks.size === 0);
      if (!slot && this.#slots.length < this.size) slot = this.#spawn();
      slot ??= this.#slots.reduce<_Slot<Req, Res, Ev> | undefined>(
        (a, b) => (b.tasks.size < this.perWorker && (!a || b.tasks.size < a.tasks.size) ? b : a),
        undefined,
      );
      if (!slot) break;
      slot.add(this.#queue.shift()!);
    }
    this.#wakeSpace();
    this.#wakeIdle();
  }

  #spawn(): _Slot<Req, Res, Ev> {
    const slot: _Slot<Req, Res, Ev> = new WorkerSlot(new Worker(this.#url, { type: "module" }), {
      onReady: () => this.#started = true,
      onMessage: (msg) => this.#onMessage(slot, msg),
      onCrash: (why) => this.#crash(slot, why),
    });
    this.#slots.push(slot);
    return slot;
  }

  #onMessage(slot: _Slot<Req, Res, Ev>, msg: FromWorker<Res, Ev>): void {
    if (msg.kind === "ready") return; // the slot handles it
    if (msg.kind === "event") {
      const task = slot.tasks.get(msg.id);
      if (task && !task.settled) task.opts.onEvent?.(msg.event);
      return;
    }
    const task = slot.finish(msg.id);
    if (!task) return;
    if (msg.kind === "done") {
      if (!task.settled) {
        task.settled = true;
        task.unlisten();
        task.resolve(msg.value);
      }
    } else this.#settle(task, fromWireError(msg.error));
    this.#dispatch();
  }

  #cancel(task: _Task<Req, Res, Ev>, reason: unknown): void {
    if (task.settled) return;
    const queuedAt = this.#queue.indexOf(task);
    if (queuedAt >= 0) this.#queue.splice(queuedAt, 1);
    this.#settle(task, reason);
    // The task keeps its place until the worker confirms; a worker that ignores cancel is replaced.
    this.#slots.find((s) => s.tasks.get(task.id) === task)?.cancel(task, this.#grace);
    this.#dispatch();
  }

  #crash(slot: _Slot<Req, Res, Ev>, why: string): void {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return;
    this.#slots.splice(at, 1);
    const early = !slot.ready && !this.#started;
    if (early) this.#startError ??= new WorkerStartError(why);
    const err = early
      ? this.#startError!
      : new TgpipeError(`Worker crashed: ${why}`, { code: "WORKER_CRASHED", data: { reason: why } });
    for (const task of slot.tasks.values()) this.#settle(task, err);
    // the workers still starting load the same module: they end the same way, so wait for none
    if (early) { for (const task of this.#queue.splice(0)) this.#settle(task, err); }
    slot.kill();
    if (!this.#closed || this.#queue.length > 0) this.#dispatch();
    else this.#wakeIdle();
  }

  #settle(task: _Task<Req, Res, Ev>, err: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.unlisten();
    task.reject(err);
  }

  #wakeSpace(): void {
    while (this.#spaceWaiters.length > 0 && (this.#queue.length < this.queueSize || this.#closed)) {
      this.#spaceWaiters.shift()!();
    }
  }

  #wakeIdle(): void {
    if (this.#queue.length > 0 || this.#slots.some((s) => s.tasks.size > 0)) return;
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
