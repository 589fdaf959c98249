/** Process exit codes, documented in README and `tgpipe --help`. */
export const ExitCode = {
  /** Everything asked for was done. */
  OK: 0,
  /** The command failed. */
  FAILED: 1,
  /** Bad usage or bad input: nothing was attempted. */
  USAGE: 2,
  /** Partly done: some items failed, each was reported. */
  PARTIAL: 3,
  /** A Telegram login is needed (no session, or it was revoked). */
  LOGIN: 4,
  /** Stopped on purpose (Ctrl-C, time budget, quota); re-running resumes. */
  STOPPED: 75,
} as const;

/** One of the documented exit codes. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** Human description of each exit code, for --help and README. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.OK, "done"],
  [ExitCode.FAILED, "failed"],
  [ExitCode.USAGE, "bad usage or input"],
  [ExitCode.PARTIAL, "partly done (some items failed, each reported)"],
  [ExitCode.LOGIN, "login needed"],
  [ExitCode.STOPPED, "stopped on purpose (Ctrl-C, time budget, quota); resumable"],
];
