/**
 * Shell-style globs for --include/--exclude: `*` and `?` within a path segment, `**` across
 * segments, `[abc]` classes and `{a,b}` alternatives. A pattern without `/` matches the file's
 * name alone; one with `/` matches its path relative to the folder given.
 */

/** The RegExp of one glob (see module comment). */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` matches zero or more whole segments
      const slash = glob[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|\\\]{}]/g, "\\$&");
  }
  if (depth > 0) throw new RangeError(`Unclosed { in glob ${glob}`);
  return new RegExp(`^${re}$`);
}

/** Whether `relPath` (with `/` separators) matches `glob` (see module comment). */
export function matchGlob(glob: string, relPath: string): boolean {
  const target = glob.includes("/") ? relPath : relPath.slice(relPath.lastIndexOf("/") + 1);
  return globToRegExp(glob).test(target);
}
