/**
 * What main.ts starts for a Telegram command before the command tree loads: the early session
 * check on the run's own session (lib/app/shared/early_account.ts), which needs no GramJS, and the
 * warm-up that loads GramJS (warm_up.ts). Settings come from the same resolution the
 * action uses (loadSettings), fed only the program options that choose the account and its
 * connection; anything unusual starts no check (the action then does all as before).
 */
import { loadSettings } from "./load_settings.ts";
import { telegramCommand, warmUp } from "./warm_up.ts";

/** Commands whose action connects the run's own account first (through connectAccount). */
export const EARLY_COMMANDS: ReadonlySet<string> = new Set([
  "whoami",
  "chats",
  "export",
  "download",
  "dl",
  "sync",
  "upload",
  "up",
  "serve",
]);

/**
 * For a Telegram command: starts the early check when it can (connected and salted before the
 * command tree is loaded; the request goes out when the command connects), and the warm-up; for
 * whoami no warm-up when the check started (its action loads GramJS only when the check could not
 * tell). Never rejects.
 */
export async function earlyStart(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const command = telegramCommand(argv);
  if (command === undefined) return;
  // loading it also checks GramJS's schema cache, before any action can load GramJS (see the file)
  const early = import("../app/shared/early_account.ts");
  const check = EARLY_COMMANDS.has(command) ? _startCheck(argv, env, early).catch(() => false) : undefined;
  _started = check?.then(() => {});
  // whoami loads GramJS only when the check could not tell; another command loads it now, beside
  // the command tree (the check's few steps on the main thread can wait: its request goes out
  // only when the command connects)
  if (command !== "whoami" || !await check) await warmUp(argv);
}

let _started: Promise<void> | undefined;

/**
 * Settles once earlyStart has started its check (ready to send its request) or found it could not;
 * at once when earlyStart never ran. An action that reads the check's outcome waits for this
 * first: on a busy machine the command tree may be ready before the check was even started.
 */
export function earlyStarted(): Promise<void> {
  return _started ?? Promise.resolve();
}

/** Resolves once the check is ready to send its request (true) or when none was started (false). */
async function _startCheck(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  early: Promise<typeof import("../app/shared/early_account.ts")>,
): Promise<boolean> {
  const flags = earlyFlags(argv);
  if (!flags) return false;
  const { settings } = await loadSettings(flags, { env });
  const [{ telegramAccess }, { startEarlyAccount }] = await Promise.all([
    import("../app/shared/telegram_settings.ts"),
    early,
  ]);
  return await startEarlyAccount(telegramAccess(settings));
}

/**
 * The program options of argv that choose the account (`--config`, `--session`, as commander
 * reads them: `--x v` or `--x=v`, the last one wins); undefined when argv names a proxy (the
 * check would bypass it) or ends its options with `--`.
 */
export function earlyFlags(argv: readonly string[]): { config?: string; session?: string } | undefined {
  const flags: { config?: string; session?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--(config|session|proxy)(?:=(.*))?$/s);
    if (argv[i] === "--") return undefined;
    if (!m) continue;
    if (m[1] === "proxy") return undefined;
    const value = m[2] ?? argv[++i];
    if (value === undefined) return undefined;
    flags[m[1] as "config" | "session"] = value;
  }
  return flags;
}
