import { VERSION } from "./lib/core/version.ts";

const encoder = new TextEncoder();
// `tgpipe --version` alone prints before anything else loads: the command tree (commander and the
// node: builtins it pulls in) costs several times an empty `deno run` (docs/startup-performance.md).
// The output is commander's own for the same flag.
if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
  _writeAll(Deno.stdout, `${VERSION}\n`);
  Deno.exit(0);
}
// Plain help requests (`--help`, `export --help`, `help export`) print commander's text from a table
// generated from the command tree (scripts/gen_help_table.ts; a test keeps it equal to commander's);
// anything else, or a terminal that would wrap the text differently, goes through commander.
if (Deno.args.some((a) => a === "--help" || a === "-h" || a === "help")) {
  const { plainHelp } = await import("./lib/cli/plain_help.ts");
  const text = plainHelp(Deno.args, Deno.stdout.isTerminal() ? _columns() : undefined);
  if (text !== undefined) {
    _writeAll(Deno.stdout, text);
    Deno.exit(0);
  }
}

// A Telegram command opens its early session check now, without GramJS (its request goes out when
// the command connects), and starts loading GramJS beside the command tree (lib/cli/early_start.ts,
// warm_up.ts; whoami needs no GramJS when the check answers).
import("./lib/cli/early_start.ts").then((m) => m.earlyStart(Deno.args, Deno.env.toObject()), () => {});
const [{ runCli }, { onInterrupts }, { promptLine }] = await Promise.all([
  import("./lib/cli/program.ts"),
  import("./lib/cli/interrupts.ts"),
  import("./lib/cli/prompt.ts"),
]);
const controller = new AbortController();
// First Ctrl-C: stop gracefully so in-flight work is saved. Second: stop at once (exit 75).
onInterrupts(controller, {
  listen: (signal, handler) => Deno.addSignalListener(signal, handler),
  exit: (code) => Deno.exit(code),
  signals: Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"],
});

const code = await runCli(Deno.args, {
  stdout: (text) => _writeAll(Deno.stdout, text),
  stderr: (text) => _writeAll(Deno.stderr, text),
  env: Deno.env.toObject(),
  stderrIsTty: Deno.stderr.isTerminal(),
  signal: controller.signal,
  prompt: Deno.stdin.isTerminal() ? promptLine : undefined,
});
Deno.exit(code);

/** The terminal's width as commander sees it (0 when unknown: no fast path then). */
function _columns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 0;
  }
}

function _writeAll(stream: typeof Deno.stdout, text: string): void {
  const data = encoder.encode(text);
  let off = 0;
  while (off < data.length) off += stream.writeSync(data.subarray(off));
}
