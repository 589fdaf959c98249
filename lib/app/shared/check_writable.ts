import { dirname, resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";

/**
 * Creates `out` if needed and proves a file can be written there; UsageError (exit 2) otherwise
 * (a regular file, a read-only or immutable folder). Resolves with an undo that removes the
 * folders this call created while they are still empty: a run refused for bad input (an unknown
 * chat) leaves no empty output folder behind.
 */
export async function checkWritable(out: string): Promise<() => Promise<void>> {
  const created = await _firstMissing(resolve(out));
  try {
    const st = await Deno.stat(out).catch(() => undefined);
    if (st && !st.isDirectory) throw new Error("not a directory");
    await Deno.mkdir(out, { recursive: true });
    const probe = `${out}/.tgpipe-write-test-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Output directory is not writable: ${out} (${why})`, { path: out });
  }
  return async () => {
    if (created !== undefined && await _onlyEmptyDirs(created)) {
      await Deno.remove(created, { recursive: true }).catch(() => {});
    }
  };
}

/** The outermost folder of `path` that does not exist yet, if any. */
async function _firstMissing(path: string): Promise<string | undefined> {
  let missing: string | undefined;
  for (let p = path; p !== dirname(p); p = dirname(p)) {
    if (await Deno.lstat(p).then(() => true, () => false)) break;
    missing = p;
  }
  return missing;
}

async function _onlyEmptyDirs(dir: string): Promise<boolean> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isDirectory || !await _onlyEmptyDirs(`${dir}/${e.name}`)) return false;
    }
    return true;
  } catch {
    return false;
  }
}
