import type { EventBody, EventSink, TgpipeEvent } from "./events.ts";

/**
 * Fans events out to sinks, stamping each with the schema version and time. A `done` event is
 * held back until the bus closes, so it stays the last event of a run even when the command
 * prints its `result` (or fails) after the job runner finished.
 */
export class EventBus {
  #sinks: EventSink[] = [];
  #now: () => Date;
  #done: TgpipeEvent | undefined;

  constructor(opts: { now?: () => Date } = {}) {
    this.#now = opts.now ?? (() => new Date());
  }

  /** Adds a sink; events emitted before it was added are not replayed. */
  add(sink: EventSink): void {
    this.#sinks.push(sink);
  }

  /** Stamps and delivers one event to every sink. Bound, so it can be passed as `emit`. */
  emit = (body: EventBody): void => {
    const event = { v: 1, ts: this.#now().toISOString(), ...body } as TgpipeEvent;
    if (event.type === "done") this.#done = event;
    else this.#deliver(event);
  };

  /**
   * Erases the live bars before someone else writes to the terminal (a command's result on
   * stdout): text printed below the bars would be erased with them by the next redraw.
   */
  clear(): void {
    for (const sink of this.#sinks) sink.clear?.();
  }

  /** Delivers a held `done` event, then closes every sink. */
  async close(): Promise<void> {
    if (this.#done) this.#deliver(this.#done);
    this.#done = undefined;
    for (const sink of this.#sinks) await sink.close();
  }

  #deliver(event: TgpipeEvent): void {
    for (const sink of this.#sinks) sink.write(event);
  }
}
