import { isAbsolute, join, relative, resolve, sep } from "node:path";

/**
 * Joins relative path segments under `root` and asserts the result stays inside it. Every
 * write of a name derived from Telegram data goes through here, so a name that slipped past
 * the sanitiser still cannot escape the output directory.
 *
 * @throws {RangeError} when the joined path would leave `root` or a segment is absolute
 * @example
 * ```ts
 * safeJoin("/out", "chats/1/notes/2.md"); // "/out/chats/1/notes/2.md"
 * safeJoin("/out", "../x"); // throws RangeError
 * ```
 */
export function safeJoin(root: string, ...segments: string[]): string {
  for (const seg of segments) {
    if (seg.includes("\0")) throw new RangeError(`Path segment contains NUL: ${JSON.stringify(seg)}`);
    if (isAbsolute(seg)) throw new RangeError(`Path segment is absolute: ${seg}`);
  }
  const base = resolve(root);
  const full = resolve(join(base, ...segments));
  const rel = relative(base, full);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new RangeError(`Path escapes the output directory: ${segments.join("/")}`);
  }
  return full;
}
