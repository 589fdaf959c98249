import type { FromWorker, InitMessage, ToWorker } from "./worker_protocol.ts";

/** What a slot needs of a pool's task: its id, its payload and the buffers to move with it. */
export interface SlotTask<Req> {
  readonly id: number;
  readonly payload: Req;
  readonly opts: { transfer?: Transferable[] };
}

/** How a slot reports back to its pool. */
export interface SlotHandlers<Res, Ev> {
  /** The worker said `ready`; the tasks it held are sent already. */
  onReady(): void;
  /** Any other message of the worker (event, done, fail). */
  onMessage(msg: FromWorker<Res, Ev>): void;
  /** The worker died, sent what could not be read, or did not stop after a cancel. */
  onCrash(why: string): void;
}

/**
 * One worker of a WorkerPool and the tasks it holds: the `init` handshake over its own
 * MessageChannel, tasks held unsent until it says `ready`, cancels with a grace timer, and the
 * end of it. The pool creates the Worker (it is the one module that starts workers from a URL
 * it was given) and decides what runs where; the slot only talks to its worker.
 */
export class WorkerSlot<Req, Res, Ev, T extends SlotTask<Req>> {
  /** Tasks given to this worker (sent, or held until `ready`), by id. */
  readonly tasks: Map<number, T> = new Map();
  #ready = false;
  #worker: Worker;
  #port: MessagePort;
  /** Cancelled tasks the worker has not confirmed yet, by task id. */
  #killTimers = new Map<number, ReturnType<typeof setTimeout>>();
  #onCrash: (why: string) => void;

  /** Hands `worker` its port and listens to it; tasks are sent once it says `ready`. */
  constructor(worker: Worker, handlers: SlotHandlers<Res, Ev>) {
    this.#worker = worker;
    const channel = new MessageChannel();
    this.#port = channel.port1;
    const init: InitMessage = { kind: "init", port: channel.port2 };
    worker.postMessage(init, [channel.port2]);
    this.#port.onmessage = (e: MessageEvent<FromWorker<Res, Ev>>) => {
      if (e.data.kind !== "ready") return handlers.onMessage(e.data);
      this.#ready = true;
      for (const t of this.tasks.values()) this.#send(t);
      handlers.onReady();
    };
    worker.onerror = (e: ErrorEvent) => {
      // Keep the error from ending the main program; it ends only the task that was running.
      e.preventDefault();
      handlers.onCrash(e.message);
    };
    worker.onmessageerror = () => handlers.onCrash("message could not be deserialized");
    this.#onCrash = handlers.onCrash;
  }

  /** The worker said `ready`: its module loaded and it listens. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Gives the worker a task: sent now if it is ready, else when it says so. */
  add(task: T): void {
    this.tasks.set(task.id, task);
    if (this.#ready) this.#send(task);
  }

  /**
   * Tells the worker to stop `task`. A task never sent just leaves; a sent one keeps its place
   * until the worker confirms, and a worker that has not within `graceMs` counts as crashed.
   */
  cancel(task: T, graceMs: number): void {
    if (!this.#ready) {
      this.tasks.delete(task.id); // never sent: nothing to stop
      return;
    }
    const msg: ToWorker<Req> = { kind: "cancel", id: task.id };
    this.#port.postMessage(msg);
    this.#killTimers.set(task.id, setTimeout(() => this.#onCrash("did not stop after cancel"), graceMs));
  }

  /** The worker answered task `id` (done or failed): it leaves the slot; returns it, if held. */
  finish(id: number): T | undefined {
    clearTimeout(this.#killTimers.get(id));
    this.#killTimers.delete(id);
    const task = this.tasks.get(id);
    this.tasks.delete(id);
    return task;
  }

  /** Ends the worker now; its tasks are dropped (the pool settles them first). */
  kill(): void {
    for (const t of this.#killTimers.values()) clearTimeout(t);
    this.#killTimers.clear();
    this.tasks.clear();
    this.#port.onmessage = null;
    this.#port.close();
    this.#worker.terminate();
  }

  #send(task: T): void {
    const msg: ToWorker<Req> = { kind: "task", id: task.id, payload: task.payload };
    this.#port.postMessage(msg, task.opts.transfer ?? []);
  }
}
