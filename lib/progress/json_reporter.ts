import type { EventBody, EventSink, TgpipeEvent } from "./events.ts";

/** `--json`: one JSON object per line on stdout. */
export class JsonLinesReporter implements EventSink {
  #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  /** Writes the event as one line. */
  write(event: TgpipeEvent): void {
    this.#write(JSON.stringify(event) + "\n");
  }

  /** Nothing is buffered. */
  close(): void {}
}

/** Writes one event as a JSON line without a bus: for errors raised before reporters exist. */
export function writeJsonEvent(write: (line: string) => void, body: EventBody): void {
  new JsonLinesReporter(write).write({ v: 1, ts: new Date().toISOString(), ...body } as TgpipeEvent);
}
