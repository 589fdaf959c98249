import { Command } from "@commander-js/extra-typings";
import { ExitCode } from "../core/exit_codes.ts";
import { StoppedError, toTgpipeError } from "../core/errors.ts";
import type { ResolvedSettings, Settings } from "../core/settings.ts";
import type { Emit } from "../progress/events.ts";
import { EventBus } from "../progress/event_bus.ts";
import { createReporter } from "../progress/create_reporter.ts";
import { writeJsonEvent } from "../progress/json_reporter.ts";
import { loadSettings } from "./load_settings.ts";

/** What the process gives the CLI: output streams, environment, TTY-ness and the stop signal. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  stderrIsTty: boolean;
  signal: AbortSignal;
  /** Reads a line from the user (login prompts); undefined when there is no terminal. */
  prompt?: (question: string, opts: { secret: boolean }) => Promise<string | undefined>;
}

/** What an action gets: resolved settings, the event emitter and the stop signal. */
export interface Runtime extends ResolvedSettings {
  configPath: string;
  emit: Emit;
  signal: AbortSignal;
  io: CliIo;
  /** Prints a command's result: a `result` event with --json, `human()` on stdout otherwise. */
  result(kind: string, data: unknown, human: () => string): void;
}

/** Any command of the tree, whatever its typed arguments and options. */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any, any, any>;

/** Mutable outcome of one CLI run. */
export interface CliState {
  exitCode: number;
}

const SETTING_FLAGS: ReadonlyArray<[string, keyof Settings]> = [
  ["kv", "kv"],
  ["json", "json"],
  ["quiet", "quiet"],
  ["verbose", "verbose"],
  ["color", "color"],
  ["session", "session"],
  ["proxy", "proxy"],
  ["ffmpeg", "ffmpeg"],
  ["ffprobe", "ffprobe"],
  ["whisperCli", "whisperCli"],
  ["whisperModel", "whisperModel"],
  ["ytDlp", "ytDlp"],
  ["apiId", "apiId"],
];

/** Wraps a command body: resolves settings once, wires reporters, maps errors to exit codes. */
export function makeAction<A extends unknown[]>(
  io: CliIo,
  state: CliState,
  body: (rt: Runtime, ...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    const all = cmd.optsWithGlobals() as Record<string, unknown>;
    const flags: Record<string, unknown> = {};
    for (const [opt, key] of SETTING_FLAGS) {
      if (cmd.getOptionValueSourceWithGlobals(opt) === "cli") flags[key] = all[opt];
    }
    if (all.config !== undefined) flags.config = all.config;
    const wantJson = all.json === true;
    let bus: EventBus | undefined;
    // Human error lines go out after the bars are cleared: a closing TTY bar erases its lines
    let afterClose = "";
    try {
      const resolved = await loadSettings(flags, { env: io.env });
      bus = new EventBus();
      bus.add(createReporter(resolved.settings, io));
      const emit = bus.emit;
      const rt: Runtime = {
        ...resolved,
        emit,
        signal: io.signal,
        io,
        result(kind, data, human) {
          if (resolved.settings.json) emit({ type: "result", kind, data });
          else {
            // Bars erase the lines under them when they redraw or close: clear them first.
            bus?.clear();
            io.stdout(human());
          }
        },
      };
      state.exitCode = (await body(rt, ...args)) ?? ExitCode.OK;
    } catch (err) {
      // Whatever a command threw while stopping, a stop is reported as the stop (with its reason).
      const e = io.signal.aborted && !(err instanceof StoppedError)
        ? (io.signal.reason instanceof StoppedError
          ? io.signal.reason
          : new StoppedError("Stopped; run the same command again to resume"))
        : toTgpipeError(err);
      state.exitCode = e.exitCode;
      const error = { code: e.code, message: e.message, data: { ...e.data } };
      if (bus && wantJson) bus.emit({ type: "error", error, exit_code: e.exitCode });
      else if (wantJson) writeJsonEvent(io.stdout, { type: "error", error, exit_code: e.exitCode });
      else afterClose += `error: ${e.message}\n`;
      if (all.verbose === true && e.stack) afterClose += `${_stackOf(err)}\n`;
    } finally {
      await bus?.close();
      if (afterClose) io.stderr(afterClose);
    }
  };
}

function _stackOf(err: unknown): string {
  return err instanceof Error && err.stack ? err.stack : String(err);
}
