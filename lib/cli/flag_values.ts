/** Flag value helpers commands share: repeatable options, whole numbers, --from-file lines. */
import { UsageError } from "../core/errors.ts";

/** A repeatable option: each use adds one value (not variadic, which would swallow the arguments after it). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], value];
}

/** A whole number flag of at least `min`; UsageError (exit 2) otherwise. */
export function intFlag(v: string | undefined, flag: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got ${v}`);
  return n;
}

/** The lines of a --from-file (`-` = stdin), without blanks and `#` comments. */
export async function readInputLines(
  path: string | undefined,
  stdin: ReadableStream<Uint8Array>,
): Promise<string[]> {
  if (path === undefined) return [];
  let text: string;
  try {
    text = path === "-" ? await new Response(stdin).text() : await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read --from-file ${path}: ${(err as Error).message}`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}
