import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";

/** Subcommand names listed in the "Commands:" section of a --help text (commander's layout). */
export function parseHelpCommands(help: string): string[] {
  const names: string[] = [];
  let inCommands = false;
  for (const line of help.split("\n")) {
    if (/^\S/.test(line)) inCommands = line === "Commands:";
    else if (inCommands) {
      // Command rows are indented two spaces; wrapped descriptions are indented further.
      const m = line.match(/^ {2}([a-z][\w-]*)/);
      if (m) names.push(m[1]);
    }
  }
  return names.filter((n) => n !== "help");
}

/** Every command path of the CLI (root = []), found by walking `--help` output. */
export async function walkCommands(): Promise<Array<{ path: string[]; help: string }>> {
  const out: Array<{ path: string[]; help: string }> = [];
  const queue: string[][] = [[]];
  while (queue.length > 0) {
    // A few at a time: each is a Deno process, and the machine is shared.
    const batch = queue.splice(0, 4);
    const runs = await Promise.all(batch.map((path) => runCli([...path, "--help"])));
    batch.forEach((path, i) => {
      const r = runs[i];
      assert.equal(r.code, 0, `tgpipe ${path.join(" ")} --help: ${r.stderr}`);
      out.push({ path, help: r.stdout });
      for (const name of parseHelpCommands(r.stdout)) queue.push([...path, name]);
    });
  }
  return out;
}
