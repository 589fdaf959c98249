/**
 * glibc's symbols by FFI, where that needs no prompt: Linux, FFI already granted (`-A` or
 * `--allow-ffi`, as the task and the compiled binary run), and a `libc.so.6` to open. Elsewhere
 * (another OS, no FFI permission, musl) undefined, and callers do without.
 */

/** The `symbols` of libc for `defs`, or undefined where they cannot be reached without a prompt. */
export function openLibc<const S extends Deno.ForeignLibraryInterface>(
  defs: S,
): Deno.DynamicLibrary<S>["symbols"] | undefined {
  if (Deno.build.os !== "linux") return undefined;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
  try {
    return Deno.dlopen("libc.so.6", defs).symbols;
  } catch {
    return undefined; // no libc.so.6, or a symbol it lacks (musl has no malloc_trim)
  }
}
