/**
 * Named accounts: `tgpipe login --name work` stores the session in `<data dir>/accounts/work.session`
 * (mode 0600, in a 0700 folder), and `--session work` or `--account work` find it again, so several
 * accounts are easy to keep. A value that is not a stored name stays what it was: a path or a
 * session string.
 */
import { UsageError } from "../core/errors.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The session file of account `name` in the data directory.
 *
 * @throws {UsageError} for a name that could be a path or is empty (exit 2)
 */
export function namedSessionFile(dataDir: string, name: string): string {
  if (!NAME.test(name) || name.endsWith(".session") || name.includes("..")) {
    throw new UsageError(`Bad account name "${name}": use letters, digits, _ . - (at most 64)`);
  }
  return `${dataDir}/accounts/${name}.session`;
}

/** `value` (a --session or --account value) as a session file when it names a stored account. */
export function resolveAccountRef(value: string, dataDir: string): string {
  if (!NAME.test(value) || value.includes("..")) return value;
  const file = `${dataDir}/accounts/${value}.session`;
  try {
    return Deno.statSync(file).isFile ? file : value;
  } catch {
    return value;
  }
}

/** Every `--account` value through {@link resolveAccountRef}. */
export function resolveAccountRefs(values: string[] | undefined, dataDir: string): string[] | undefined {
  return values?.map((v) => resolveAccountRef(v, dataDir));
}
