import type { EventBody, EventSink, TgpipeEvent } from "./events.ts";

/** Fans events out to sinks, stamping each with the schema version and time. */
export class EventBus {
  #sinks: EventSink[] = [];
  #now: () => Date;

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
    for (const sink of this.#sinks) sink.write(event);
  };

  /** Closes every sink. */
  async close(): Promise<void> {
    for (const sink of this.#sinks) await sink.close();
  }
}
