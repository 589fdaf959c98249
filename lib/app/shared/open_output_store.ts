import { toTgpipeError } from "../../core/errors.ts";
import { ExitCode } from "../../core/exit_codes.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import { checkWritable } from "./check_writable.ts";

/** An output folder proven writable and the progress store, for a command that writes files. */
export interface OutputStore {
  store: ProgressStore;
  /**
   * Call when the run fails: a refusal for bad input (exit 2, e.g. an unknown chat) removes the
   * output folders this run created while still empty; any other failure keeps them.
   */
  failed(err: unknown): Promise<void>;
}

/**
 * Checks `out` (UsageError, exit 2, when it cannot be written) and opens the store at `kv` (its
 * folder is created only when `createKvParent`: a typo in --kv never creates one). Nothing is
 * left behind when the store cannot be opened.
 */
export async function openOutputStore(
  out: string,
  opts: { kv: string; createKvParent?: boolean; signal?: AbortSignal },
): Promise<OutputStore> {
  const undo = await checkWritable(out);
  const store = await openProgressStore(opts.kv, {
    createParent: opts.createKvParent ?? false,
    signal: opts.signal,
  }).catch(async (err) => {
    await undo();
    throw err;
  });
  return {
    store,
    failed: async (err) => {
      if (toTgpipeError(err).exitCode === ExitCode.USAGE) await undo();
    },
  };
}
