import assert from "node:assert/strict";
import { parseHelpCommands, walkCommands } from "../_helpers/command_tree.ts";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test("every command and subcommand has --help with an Examples: section", async () => {
  const tree = await walkCommands();
  assert.ok(tree.some((c) => c.path.join(" ") === "config show"), "walk reaches config show");
  assert.ok(tree.some((c) => c.path.join(" ") === "completions"), "walk reaches completions");
  const missing = tree.filter((c) => !/^Examples:\n {2}tgpipe /m.test(c.help)).map((c) =>
    `tgpipe ${[...c.path, "--help"].join(" ")}`
  );
  assert.deepEqual(
    missing,
    [],
    `--help without an "Examples:" section of tgpipe lines: ${missing.join(", ")}`,
  );
});

Deno.test("root --help lists the exit codes", async () => {
  const root = await runCli(["--help"]);
  for (const code of [0, 1, 2, 3, 4, 75]) assert.match(root.stdout, new RegExp(`^ {2}${code}\\s+\\S`, "m"));
});

Deno.test("parseHelpCommands reads names, skips wrapped lines and help", () => {
  const help = [
    "Usage: tgpipe [options] [command]",
    "",
    "Options:",
    "  -h, --help           display help",
    "",
    "Commands:",
    "  config               Inspect settings",
    "  completions <shell>  Print a shell completion script that is long",
    "                       and wraps",
    "  export [options] <chat>  Export",
    "  help [command]       display help for command",
    "",
    "Examples:",
    "  tgpipe config show",
  ].join("\n");
  assert.deepEqual(parseHelpCommands(help), ["config", "completions", "export"]);
});
