/**
 * Starts loading the Telegram stack (GramJS, lib/telegram) and the command's use case while the
 * command tree loads, for a command whose action connects to Telegram first. Deno prepares a module
 * graph (files, transpile cache, npm resolution) before it runs any of it, and the main thread waits
 * meanwhile: loaded only when the action asked for it, that wait came after commander's and nothing
 * overlapped it (docs/startup-performance.md, item 7). A wrong guess costs time only: the action
 * imports what it needs itself.
 */

/**
 * Commands whose action starts by connecting to Telegram (`bot` only with `run`), and the use case
 * each action imports besides lib/app/shared/telegram_access.ts.
 */
export const TELEGRAM_COMMANDS: Readonly<Record<string, () => Promise<unknown>>> = {
  whoami: () => import("../app/account/whoami.ts"),
  chats: () => import("../app/account/chats.ts"),
  login: () => import("../app/account/login.ts"),
  logout: () => import("../app/account/logout.ts"),
  export: () => import("../app/export/export_chats.ts"),
  download: () => import("../app/download/download.ts"),
  dl: () => import("../app/download/download.ts"),
  sync: () => import("../app/sync/sync.ts"),
  upload: () => import("../app/upload/upload.ts"),
  up: () => import("../app/upload/upload.ts"),
  serve: () => import("../app/serve/serve.ts"),
  "bot run": () => import("../app/bot/run_bot.ts"),
};
/** The program's options that take a value (`--config <file>`): their value is not the command. */
export const VALUE_OPTIONS: readonly string[] = ["--config", "--kv", "--session", "--proxy"];

/** The key of {@link TELEGRAM_COMMANDS} that argv runs (not its help), or undefined. */
export function telegramCommand(argv: readonly string[]): string | undefined {
  if (argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V")) return undefined;
  let i = 0;
  while (i < argv.length && argv[i].startsWith("-")) i += VALUE_OPTIONS.includes(argv[i]) ? 2 : 1;
  if (i >= argv.length) return undefined;
  return [`${argv[i]} ${argv[i + 1]}`, argv[i]].find((k) => Object.hasOwn(TELEGRAM_COMMANDS, k));
}

/**
 * Begins loading the Telegram stack when argv runs a Telegram command; the promise settles when it
 * is loaded (undefined when argv does not need it). Never rejects: a failing import is the action's
 * to report, when it imports the same modules.
 */
export function warmUp(argv: readonly string[]): Promise<void> | undefined {
  const command = telegramCommand(argv);
  if (command === undefined) return undefined;
  // telegram_access first: its graph (GramJS through lib/telegram/client.ts, which checks GramJS's
  // schema cache before GramJS loads) is part of the use case's, so it is ready and runs first
  return Promise.all([import("../app/shared/telegram_access.ts"), TELEGRAM_COMMANDS[command]()])
    .then(() => {}, () => {});
}
