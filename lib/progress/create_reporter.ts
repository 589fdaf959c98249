import type { EventSink } from "./events.ts";
import { JsonLinesReporter } from "./json_reporter.ts";
import { PlainReporter } from "./plain_reporter.ts";
import { TtyReporter } from "./tty_reporter.ts";
import type { Verbosity } from "./describe_event.ts";

/** Output settings a reporter needs. */
export interface ReporterSettings {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

/** Output streams a reporter writes to. */
export interface ReporterIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTty: boolean;
}

/** Picks the sink: JSON lines with --json, bars on a TTY, plain lines otherwise. */
export function createReporter(settings: ReporterSettings, io: ReporterIo): EventSink {
  if (settings.json) return new JsonLinesReporter(io.stdout);
  const verbosity: Verbosity = settings.quiet ? "quiet" : settings.verbose ? "verbose" : "normal";
  if (io.stderrIsTty) return new TtyReporter(io.stderr, { color: settings.color, verbosity });
  return new PlainReporter(io.stderr, verbosity);
}
