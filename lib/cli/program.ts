import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { EXIT_CODE_HELP, ExitCode } from "../core/exit_codes.ts";
import { VERSION } from "../core/version.ts";
import { writeJsonEvent } from "../progress/json_reporter.ts";
import type { AnyCommand, CliIo, CliState } from "./runtime.ts";
import { configCommand } from "./commands/config.ts";
import { loginCommand } from "./commands/login.ts";
import { logoutCommand } from "./commands/logout.ts";
import { whoamiCommand } from "./commands/whoami.ts";
import { chatsCommand } from "./commands/chats.ts";
import { completionsCommand } from "./commands/completions.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { statusCommand } from "./commands/status.ts";
import { jobsCommand } from "./commands/jobs.ts";
import { importCommand } from "./commands/import.ts";
import { exportCommand } from "./commands/export.ts";
import { downloadCommand } from "./commands/download.ts";
import { transcribeCommand } from "./commands/transcribe.ts";
import { serveCommand } from "./commands/serve.ts";
import { grabCommand } from "./commands/grab.ts";
import { syncCommand } from "./commands/sync.ts";
import { uploadCommand } from "./commands/upload.ts";
import { botCommand } from "./commands/bot.ts";

/** A function that builds one top-level command. */
export type CommandFactory = (io: CliIo, state: CliState) => AnyCommand;

/** The command list; each later command adds its factory here. */
export const COMMANDS: CommandFactory[] = [
  configCommand,
  doctorCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  chatsCommand,
  importCommand,
  exportCommand,
  statusCommand,
  jobsCommand,
  transcribeCommand,
  downloadCommand,
  serveCommand,
  grabCommand,
  syncCommand,
  uploadCommand,
  botCommand,
];

/** Builds the whole command tree for one run. */
export function buildProgram(io: CliIo, state: CliState): AnyCommand {
  const program = new Command("tgpipe")
    .description("Move Telegram history and media where you need it")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--config <file>", "config file (JSON); default $TGPIPE_CONFIG or XDG config dir"))
    .addOption(new Option("--kv <path|url>", "progress store: a file, or a KV Connect URL"))
    .addOption(
      new Option("--session <file>", "session file (mode 0600), or an account name saved by `login --name`"),
    )
    .addOption(
      new Option(
        "--proxy <url>",
        "SOCKS5, HTTP or MTProxy proxy for every Telegram connection (socks5://[user:pass@]host:port, " +
          "http://host:port, tg://proxy?server=H&port=P&secret=S)",
      ),
    )
    .addOption(new Option("--json", "JSON lines on stdout (see docs/events.md)"))
    .addOption(new Option("-q, --quiet", "no progress: only errors and the final summary"))
    .addOption(new Option("-v, --verbose", "debug lines and stack traces"))
    .addOption(new Option("--no-color", "no colors (also NO_COLOR)"))
    .showSuggestionAfterError(true)
    .addHelpText("after", _exitCodeHelp())
    .addHelpText(
      "after",
      "\nExamples:\n  tgpipe config show\n  tgpipe --json config show | jq .data\n  tgpipe help config",
    );
  for (const make of COMMANDS) program.addCommand(make(io, state));
  program.addCommand(completionsCommand(program, io));
  _configureOutput(program, io);
  return program;
}

function _configureOutput(
  cmd: AnyCommand,
  io: CliIo,
): void {
  // commander's own messages start in lower case; ours start with a capital (docs/architecture.md, errors)
  const writeErr = (text: string) =>
    io.stderr(text.replace(/^error: ([a-z])/, (_m, c: string) => `error: ${c.toUpperCase()}`));
  cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr });
  for (const sub of cmd.commands) _configureOutput(sub, io);
}

function _exitCodeHelp(): string {
  const rows = EXIT_CODE_HELP.map(([code, text]) => `  ${String(code).padEnd(3)} ${text}`).join("\n");
  return `\nExit codes:\n${rows}\n\nEvery setting also comes from TGPIPE_<NAME> or the config file; see \`tgpipe config show\`.`;
}

/** Runs the CLI for argv (without the program name) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const state: CliState = { exitCode: ExitCode.OK };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return ExitCode.OK;
      if (err.code === "commander.help" || err.code === "commander.executeSubCommandAsync") {
        return err.exitCode;
      }
      // commander already printed its one-line message on stderr; JSON consumers get it as an event too
      const flags = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
      if (flags.includes("--json")) {
        const message = err.message.replace(/^error: /, "").split("\n")[0];
        const error = { code: "USAGE", message: message.charAt(0).toUpperCase() + message.slice(1) };
        writeJsonEvent(io.stdout, { type: "error", error, exit_code: ExitCode.USAGE });
      }
      return ExitCode.USAGE;
    }
    throw err;
  }
  return state.exitCode;
}
