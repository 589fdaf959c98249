import { runCli } from "./lib/cli/program.ts";
import { ExitCode } from "./lib/core/exit_codes.ts";
import { StoppedError } from "./lib/core/errors.ts";
import { promptLine } from "./lib/cli/prompt.ts";

const encoder = new TextEncoder();
const controller = new AbortController();
let interrupts = 0;
const onInterrupt = () => {
  interrupts++;
  // First Ctrl-C: stop gracefully so in-flight work is saved. Second: stop at once.
  if (interrupts > 1) Deno.exit(ExitCode.STOPPED);
  controller.abort(new StoppedError("Stopped by signal; run the same command again to resume", "signal"));
};
Deno.addSignalListener("SIGINT", onInterrupt);
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", onInterrupt);

const code = await runCli(Deno.args, {
  stdout: (text) => _writeAll(Deno.stdout, text),
  stderr: (text) => _writeAll(Deno.stderr, text),
  env: Deno.env.toObject(),
  stderrIsTty: Deno.stderr.isTerminal(),
  signal: controller.signal,
  prompt: Deno.stdin.isTerminal() ? promptLine : undefined,
});
Deno.exit(code);

function _writeAll(stream: typeof Deno.stdout, text: string): void {
  const data = encoder.encode(text);
  let off = 0;
  while (off < data.length) off += stream.writeSync(data.subarray(off));
}
