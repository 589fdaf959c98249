import { StoppedError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_codes.ts";

/** What `onInterrupts` needs from the process; main.ts passes Deno's, tests pass fakes. */
export interface InterruptHooks {
  /** Registers a handler for a signal name ("SIGINT", "SIGTERM"). */
  listen: (signal: "SIGINT" | "SIGTERM", handler: () => void) => void;
  /** Ends the process at once with this exit code. */
  exit: (code: number) => void;
  /** Signals to listen for; default SIGINT and SIGTERM. */
  signals?: ReadonlyArray<"SIGINT" | "SIGTERM">;
}

/**
 * Turns Ctrl-C (and SIGTERM) into a graceful stop: the first one aborts `controller` with a
 * StoppedError so commands save in-flight work and exit 75; a second one exits 75 at once, for
 * when the graceful stop takes longer than the user is willing to wait.
 */
export function onInterrupts(controller: AbortController, hooks: InterruptHooks): void {
  let interrupts = 0;
  const handler = () => {
    interrupts++;
    if (interrupts > 1) {
      hooks.exit(ExitCode.STOPPED);
      return;
    }
    controller.abort(new StoppedError("Stopped by signal; run the same command again to resume", "signal"));
  };
  for (const signal of hooks.signals ?? ["SIGINT", "SIGTERM"]) hooks.listen(signal, handler);
}
