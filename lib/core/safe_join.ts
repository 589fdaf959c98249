import { isAbsolute, join, relative, resolve, sep } from "node:path";

// "a/b.md": no empty, "." or ".." segment (none starts with "."), no NUL, no leading "/"
const _PLAIN = /^[^/\0.][^/\0]*(?:\/[^/\0.][^/\0]*)*$/;
// an absolute root that is already normalised: no empty, "." or ".." segment, no trailing "/"
const _PLAIN_ROOT = /^(?:\/[^/\0.][^/\0]*)+$/;

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
  // the common case (one plain relative path under an absolute root: every note of an export)
  // joins without node:path's three normalisations; same result as the general path below
  if (segments.length === 1 && _PLAIN.test(segments[0]) && root.length > 1 && _PLAIN_ROOT.test(root)) {
    return `${root}/${segments[0]}`;
  }
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
