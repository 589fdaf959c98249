import { TgpipeError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_codes.ts";

/** The music library directory given (`--music-library`) does not exist or is not a directory (exit 2). */
export class MusicLibraryError extends TgpipeError {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message, { code: "MUSIC_LIBRARY", exitCode: ExitCode.USAGE, data: { path } });
    this.path = path;
  }
}

/** fpcalc could not decode a file (corrupt, not audio, no audio stream). */
export class UnreadableMediaError extends TgpipeError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, cause?: unknown) {
    super(`Cannot fingerprint ${path}: ${reason}`, {
      code: "UNREADABLE_MEDIA",
      data: { path, reason },
      cause,
    });
    this.path = path;
    this.reason = reason;
  }
}
