import assert from "node:assert/strict";
import { buildProgram } from "../../lib/cli/program.ts";
import type { AnyCommand } from "../../lib/cli/runtime.ts";
import { TELEGRAM_COMMANDS, telegramCommand, VALUE_OPTIONS } from "../../lib/cli/warm_up.ts";

const COMMANDS = new URL("../../lib/cli/commands/", import.meta.url);
/** Commands that use Telegram for some arguments only: no warm-up (it would load GramJS for nothing). */
const SOMETIMES = ["grab", "transcribe"];

function _program(): AnyCommand {
  const io = { stdout() {}, stderr() {}, env: {}, stderrIsTty: false, signal: new AbortController().signal };
  return buildProgram(io, { exitCode: 0 });
}

Deno.test("Telegram commands are recognised after global options and their values", () => {
  const cases: [string[], string][] = [
    [["whoami"], "whoami"],
    [["--json", "whoami"], "whoami"],
    [["--config", "whoami.json", "export", "chat"], "export"],
    [["--config=x.json", "-q", "download", "https://t.me/c/1/2"], "download"],
    [["--session", "work", "--proxy", "socks5://h:1", "dl", "x"], "dl"],
    [["bot", "run"], "bot run"],
    [["up", "file"], "up"],
  ];
  for (const [argv, command] of cases) assert.equal(telegramCommand(argv), command, argv.join(" "));
});

Deno.test("other commands, help and version requests do not load Telegram early", () => {
  for (
    const argv of [
      [],
      ["--version"],
      ["config", "show"],
      ["--session", "whoami", "config", "show"],
      ["help", "whoami"],
      ["whoami", "--help"],
      ["export", "-h"],
      ["bot", "users"],
      ["grab", "https://example.com/v.mp4"],
      ["status"],
    ]
  ) assert.equal(telegramCommand(argv), undefined, argv.join(" "));
});

Deno.test("VALUE_OPTIONS are exactly the program's options that take a value", () => {
  const taking = _program().options.filter((o) => o.required || o.optional).map((o) => o.long);
  assert.deepEqual([...VALUE_OPTIONS].sort(), taking.sort());
});

Deno.test("TELEGRAM_COMMANDS name commands that connect to Telegram, and every such command is listed", async () => {
  const program = _program();
  const listed = new Set<string>();
  for (const [entry, load] of Object.entries(TELEGRAM_COMMANDS)) {
    let cmd: AnyCommand | undefined = program;
    for (const word of entry.split(" ")) {
      cmd = cmd?.commands.find((c) => c.name() === word || c.aliases().includes(word));
    }
    assert.ok(cmd, `${entry} is not a command`);
    const first = entry.split(" ")[0];
    const top = program.commands.find((c) => c.name() === first || c.aliases().includes(first))!;
    listed.add(top.name());
    // the warm-up loads the use case the action imports
    const useCase = String(load).match(/import\("\.\.\/(app\/[\w/]+\.ts)"\)/)?.[1];
    const source = await Deno.readTextFile(new URL(`${top.name()}.ts`, COMMANDS));
    assert.ok(useCase && source.includes(`await import("../../${useCase}")`), `${entry}: ${load}`);
  }
  const connecting: string[] = [];
  for await (const e of Deno.readDir(COMMANDS)) {
    const text = await Deno.readTextFile(new URL(e.name, COMMANDS));
    if (text.includes("app/shared/telegram_access.ts")) connecting.push(e.name.replace(/\.ts$/, ""));
  }
  const missing = connecting.filter((c) => !listed.has(c) && !SOMETIMES.includes(c));
  assert.deepEqual(missing, [], "add them to TELEGRAM_COMMANDS (lib/cli/warm_up.ts) or to SOMETIMES here");
});
