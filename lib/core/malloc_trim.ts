/**
 * Hands the C heap's free pages back to the system (glibc's malloc_trim). Deno's threads (the
 * tokio pool, workers, V8's helpers) each allocate from their own malloc arena, and the free space
 * left in those arenas by a long run's short-lived native buffers is not returned on its own: in a
 * 100k-message export it grew the RSS by about 4 MB between 10k and 100k messages. libc is reached
 * by FFI, only where that needs no prompt (libc.ts).
 */
import { openLibc } from "./libc.ts";

let trim: (() => void) | null | undefined = null;

/** A function that trims the C heap, or undefined where it cannot be reached (then nothing is done). */
export function mallocTrim(): (() => void) | undefined {
  if (trim === null) trim = _open();
  return trim;
}

function _open(): (() => void) | undefined {
  const c = openLibc({ malloc_trim: { parameters: ["usize"], result: "i32" } });
  return c && (() => void c.malloc_trim(0n));
}
