import type { EventSink, TgpipeEvent } from "./events.ts";
import { describeEvent, type Verbosity } from "./describe_event.ts";

/** No TTY: plain timestamped lines on stderr, one per notable event. */
export class PlainReporter implements EventSink {
  #write: (line: string) => void;
  #verbosity: Verbosity;

  constructor(write: (line: string) => void, verbosity: Verbosity) {
    this.#write = write;
    this.#verbosity = verbosity;
  }

  /** Writes the event's line, if it has one at this verbosity. */
  write(event: TgpipeEvent): void {
    const line = describeEvent(event, this.#verbosity);
    if (line === undefined) return;
    // Errors stay unstamped: the one-line message is what scripts and people grep for.
    this.#write(event.type === "error" ? `${line}\n` : `${event.ts.slice(11, 19)} ${line}\n`);
  }

  /** Nothing is buffered. */
  close(): void {}
}
