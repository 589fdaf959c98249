import type { EventSink, TgpipeEvent } from "./events.ts";
import { describeEvent, type Verbosity } from "./describe_event.ts";
import { applyBarEvent, type BarState, newBarState } from "./bar_state.ts";
import { renderBars } from "./render_bars.ts";

/** Options of the TTY reporter; the clock, width and timer are injectable for tests. */
export interface TtyReporterOptions {
  color: boolean;
  verbosity: Verbosity;
  /** Terminal columns (default: Deno.consoleSize(), 80 when there is no console). */
  width?: () => number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Redraw period (default 100 ms, ~10 Hz). */
  intervalMs?: number;
}

// Lines printed above the bars only in verbose mode: the bars already show them.
const BAR_ONLY = new Set<TgpipeEvent["type"]>(["start", "item_done", "pause", "resume"]);
const LINE_COLOR: Partial<Record<TgpipeEvent["type"], string>> = {
  error: "31",
  item_failed: "31",
  warning: "33",
};

/**
 * stderr is a terminal: live progress bars (overall, pauses with countdowns, items in flight)
 * redrawn by a timer that lives here, never in the engine; other lines are printed above them.
 */
export class TtyReporter implements EventSink {
  #write: (text: string) => void;
  #opts: TtyReporterOptions;
  #state: BarState = newBarState();
  #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawnLines = 0;
  #lastFrame = "";
  #closed = false;

  constructor(write: (text: string) => void, opts: TtyReporterOptions) {
    this.#write = write;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  /** Updates the bars; prints the event's line above them when it has one. */
  write(event: TgpipeEvent): void {
    if (this.#closed) return;
    const verbosity = this.#opts.verbosity;
    if (verbosity !== "quiet") applyBarEvent(this.#state, event, this.#now());
    const verbose = verbosity === "verbose";
    const line = BAR_ONLY.has(event.type) && !verbose ? undefined : describeEvent(event, verbosity);
    if (this.#state.finished) this.#stopTimer();
    if (line !== undefined) {
      const code = this.#opts.color ? LINE_COLOR[event.type] : undefined;
      this.#redraw(`${code ? `\x1b[${code}m${line}\x1b[0m` : line}\n`);
    } else if (event.type !== "item_progress") this.#redraw("");
    if (!this.#state.finished && verbosity !== "quiet") this.#startTimer();
  }

  /** Erases the bars for another writer; the timer or the next event draws them again below. */
  clear(): void {
    if (this.#closed) return;
    const erase = this.#erase();
    if (erase) this.#write(erase);
  }

  /** Stops the redraw timer and erases the bars, leaving the printed lines. */
  close(): void {
    if (this.#closed) return;
    this.#stopTimer();
    const erase = this.#erase();
    if (erase) this.#write(erase);
    this.#closed = true;
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => this.#redraw(""), this.#opts.intervalMs ?? 100);
    // A reporter someone forgot to close must not keep the process alive.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Erases the bars, prints `above`, draws the bars again, all in one write. */
  #redraw(above: string): void {
    const lines = renderBars(this.#state, this.#now(), this.#width(), { color: this.#opts.color });
    const frame = lines.map((l) => `${l}\n`).join("");
    if (above === "" && frame === this.#lastFrame) return;
    this.#write(this.#erase() + above + frame);
    this.#drawnLines = lines.length;
    this.#lastFrame = frame;
  }

  #erase(): string {
    // Cursor up to the first bar line, then clear to the end of the screen.
    const out = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F\x1b[0J` : "";
    this.#drawnLines = 0;
    this.#lastFrame = "";
    return out;
  }

  #width(): number {
    if (this.#opts.width) return this.#opts.width();
    try {
      return Deno.consoleSize().columns || 80;
    } catch {
      return 80;
    }
  }
}
