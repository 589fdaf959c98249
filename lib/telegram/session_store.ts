/**
 * Where the session string lives between runs: a file only its owner can read (mode 0600),
 * replaced atomically so a crash or a failed login never leaves half a session behind.
 */
import { LoginRequiredError } from "../core/errors.ts";

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
 * Writes the session string to `file` with mode 0600: first a temp file of its own beside it
 * (`<file>.<uuid>.part`, created 0600, so the secret is never readable by others even for a
 * moment, and two runs saving at once never write into one file), then rename: the last rename
 * wins. On any failure the temp file is removed and an existing session file is left as it was.
 */
export async function saveSession(file: string, session: string): Promise<void> {
  const part = `${file}.${crypto.randomUUID()}.part`;
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir || "/", { recursive: true, mode: 0o700 });
  try {
    const f = await Deno.open(part, { write: true, createNew: true, mode: 0o600 });
    try {
      const data = new TextEncoder().encode(session + "\n");
      for (let off = 0; off < data.length;) off += await f.write(data.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(part, file);
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
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
