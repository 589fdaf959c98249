import { join } from "node:path";
import { UsageError } from "../../core/errors.ts";

/**
 * A private copy (mode 0600) of a --cookies file in `dir`: yt-dlp writes its cookie jar back on
 * exit, and the user's file must stay as it is. The caller removes the copy.
 *
 * @throws {UsageError} when the file cannot be read (exit 2)
 */
export async function copyCookies(path: string, dir: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read --cookies ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  await Deno.mkdir(dir, { recursive: true });
  const copy = join(dir, `cookies-${crypto.randomUUID().slice(0, 8)}.txt`);
  await Deno.writeTextFile(copy, text, { mode: 0o600 });
  return copy;
}
