/**
 * The `file_parts` task: fetch parts of a file over this worker's own connections (MTProto
 * decryption runs on this thread) and write them at their offsets into the partial file, so the
 * megabytes never cross to the main thread; only "part done" (index, bytes) does.
 */
import type { TaskContext } from "../../lib/engine/serve_worker.ts";
import { type AccountConfig, connectFiles, type FileAccess } from "../../lib/telegram/connect_files.ts";
import type { FetchTaskEvent, FetchTaskResult, FilePartsTask } from "../../lib/telegram/fetch_task.ts";
import { writeParts } from "../../lib/telegram/write_parts.ts";

// One connected client per account for the worker's lifetime: connecting is the slow part.
const _accounts = new Map<string, Promise<FileAccess>>();
// The newest task's word on handing flood waits over, per account (tasks of one account overlap,
// so the connections' hook reads the latest; a stale answer only costs a retry elsewhere).
const _handoff = new Map<string, boolean>();

/** Handles one file_parts task (see module comment). */
export async function fileParts(
  task: FilePartsTask,
  ctx: TaskContext<FetchTaskEvent>,
): Promise<FetchTaskResult> {
  _handoff.set(_key(task.account), task.handoff === true);
  const access = await _access(task.account, task.connections);
  const source = access.source(task.file, { verify: false });
  const bytes = await writeParts(source, task.parts, task.partPath, {
    signal: ctx.signal,
    onPart: (index, bytes) => ctx.emit({ kind: "part_done", index, bytes }),
  });
  return { bytes };
}

function _access(account: AccountConfig, connections: number): Promise<FileAccess> {
  const key = _key(account);
  let p = _accounts.get(key);
  if (!p) {
    p = connectFiles(account, { connections, handoff: () => _handoff.get(key) === true });
    p.catch(() => _accounts.delete(key));
    _accounts.set(key, p);
  }
  return p;
}

function _key(account: AccountConfig): string {
  return `${account.apiId}|${account.endpoints ?? ""}|${account.session}`;
}
