import { UsageError } from "../core/errors.ts";

/**
 * The lines of a --from-file (`-` = stdin): trimmed, without blank lines and `#` comments; [] when
 * the flag was not given.
 *
 * @throws {UsageError} when the file cannot be read (exit 2)
 */
export async function readInputsFile(
  path: string | undefined,
  stdin: ReadableStream<Uint8Array> = Deno.stdin.readable,
): Promise<string[]> {
  if (path === undefined) return [];
  const text = await readInputsText(path, stdin);
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * The whole text of a --from-file (`-` = stdin), for commands that tell its format by content.
 *
 * @throws {UsageError} when the file cannot be read (exit 2)
 */
export async function readInputsText(
  path: string,
  stdin: ReadableStream<Uint8Array> = Deno.stdin.readable,
): Promise<string> {
  try {
    return path === "-" ? await new Response(stdin).text() : await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read --from-file ${path}: ${(err as Error).message}`);
  }
}
