/**
 * Where the session string lives between runs: a file only its owner can read (mode 0600),
 * replaced atomically so a crash or a failed login never leaves half a session behind.
 */
import { LoginRequiredError } from "../core/errors.ts";
import { writeSecretFile } from "./write_secret_file.ts";

/** Where a session comes from: an explicit string (env/flag) wins over the file. */
export interface SessionSource {
  /** Session file path (settings.session). */
  file: string;
  /** Session string given directly (settings.sessionString); never written to disk by reads. */
  sessionString?: string;
}

/** Reads the session string; throws LoginRequiredError (exit 4) when there is none. */
export async function loadSession(source: SessionSource): Promise<string> {
  if (source.sessionString) return source.sessionString.trim();
  let text: string;
  try {
    text = await Deno.readTextFile(source.file);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new LoginRequiredError("Not logged in; run `tgpipe login` first", "no_session");
    }
    // The "file" may be a mistyped session string (a string is told from a path by its shape): the
    // system's message would quote it, so name the failure without the path.
    const code = (err as { code?: string }).code ?? (err as Error).name;
    if (code === "ENAMETOOLONG") {
      throw new LoginRequiredError(
        "The session is neither a session string nor a session file; run `tgpipe login`",
        "bad_session",
      );
    }
    throw new Error(`Cannot read the session file (${code})`);
  }
  const session = text.trim();
  if (session === "") {
    throw new LoginRequiredError("The session file is empty; run `tgpipe login`", "no_session");
  }
  return session;
}

/**
 * Writes the session string to `file` with mode 0600, atomically (writeSecretFile: a temp file of
 * its own, then rename; the last of two runs saving at once wins). On any failure an existing
 * session file is left as it was.
 */
export async function saveSession(file: string, session: string): Promise<void> {
  await writeSecretFile(file, session + "\n");
}

/** Deletes the session file; true when one existed. */
export async function deleteSession(file: string): Promise<boolean> {
  try {
    await Deno.remove(file);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
