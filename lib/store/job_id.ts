/**
 * A short stable job id from a command and what identifies its work, so running the same
 * command again finds (and resumes) the same job: "<command>-<12 hex digits>".
 *
 * @example
 * ```ts
 * jobIdFor("export", "chat:123|./out"); // "export-" + 12 hex digits, the same on every run
 * ```
 */
export function jobIdFor(command: string, key: string): string {
  if (command.trim() === "") throw new RangeError("A job id needs a command name");
  const slug = command.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "job";
  return `${slug}-${_fnv1a64(`${command}\u0000${key}`).toString(16).padStart(16, "0").slice(0, 12)}`;
}

// FNV-1a is synchronous and stable across platforms; the id only needs to avoid accidental clashes.
function _fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}
