/**
 * Starts loading the Telegram stack (GramJS and lib/telegram, ~100 files) while the command tree
 * loads, for a command whose action connects to Telegram first. Deno reads and prepares a module
 * graph off the main thread; loaded only when the action asks for it, that wait came after
 * commander's and nothing overlapped it (docs/startup-performance.md). A wrong guess costs time only:
 * the action imports what it needs itself.
 */

/** Commands whose action starts by connecting to Telegram (`bot` only with `run`). */
export const TELEGRAM_COMMANDS: readonly string[] = [
  "whoami",
  "chats",
  "login",
  "logout",
  "export",
  "download",
  "dl",
  "sync",
  "upload",
  "up",
  "serve",
  "bot run",
];
/** The program's options that take a value (`--config <file>`): their value is not the command. */
export const VALUE_OPTIONS: readonly string[] = ["--config", "--kv", "--session", "--proxy"];

/** True when argv runs one of {@link TELEGRAM_COMMANDS} (not its help). */
export function startsWithTelegram(argv: readonly string[]): boolean {
  if (argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V")) return false;
  let i = 0;
  while (i < argv.length && argv[i].startsWith("-")) i += VALUE_OPTIONS.includes(argv[i]) ? 2 : 1;
  const [command, sub] = [argv[i], argv[i + 1]];
  return command !== undefined &&
    (TELEGRAM_COMMANDS.includes(command) || TELEGRAM_COMMANDS.includes(`${command} ${sub}`));
}

/**
 * Begins loading the Telegram stack when argv runs a Telegram command; the promise settles when it
 * is loaded (undefined when argv does not need it). Never rejects: a failing import is the action's
 * to report, when it imports the same modules.
 */
export function warmUp(argv: readonly string[]): Promise<void> | undefined {
  if (!startsWithTelegram(argv)) return undefined;
  return import("../app/shared/telegram_access.ts").then(() => {}, () => {});
}
