/**
 * Hands the C heap's free pages back to the system (glibc's malloc_trim). Deno's threads (the
 * tokio pool, workers, V8's helpers) each allocate from their own malloc arena, and the free space
 * left in those arenas by a long run's short-lived native buffers is not returned on its own: in a
 * 100k-message export it grew the RSS by about 4 MB between 10k and 100k messages. libc is reached
 * by FFI, only where that needs no prompt (Linux, glibc, --allow-ffi or -A).
 */

let trim: (() => void) | null | undefined = null;

/** A function that trims the C heap, or undefined where it cannot be reached (then nothing is done). */
export function mallocTrim(): (() => void) | undefined {
  if (trim === null) trim = _open();
  return trim;
}

function _open(): (() => void) | undefined {
  if (Deno.build.os !== "linux") return undefined;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
  try {
    const lib = Deno.dlopen("libc.so.6", { malloc_trim: { parameters: ["usize"], result: "i32" } });
    return () => void lib.symbols.malloc_trim(0n);
  } catch {
    return undefined; // not glibc (musl has no malloc_trim), or no libc.so.6
  }
}
