import { runCli } from "./lib/cli/program.ts";
import { onInterrupts } from "./lib/cli/interrupts.ts";
import { promptLine } from "./lib/cli/prompt.ts";

const encoder = new TextEncoder();
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

function _writeAll(stream: typeof Deno.stdout, text: string): void {
  const data = encoder.encode(text);
  let off = 0;
  while (off < data.length) off += stream.writeSync(data.subarray(off));
}
