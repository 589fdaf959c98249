import { UsageError } from "../../core/errors.ts";

/** Creates `out` if needed and proves a file can be written there; UsageError (exit 2) otherwise. */
export async function checkWritable(out: string): Promise<void> {
  try {
    await Deno.mkdir(out, { recursive: true });
    const probe = `${out}/.tgpipe-write-test-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Output directory is not writable: ${out} (${why})`, { path: out });
  }
}
