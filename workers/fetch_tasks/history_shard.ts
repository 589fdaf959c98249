/**
 * The `history_shard` task: pages of one id range of a chat over this worker's own Telegram
 * connection; each page goes back to the export writer as an event as soon as it arrives.
 */
import type { TaskContext } from "../../lib/engine/serve_worker.ts";
import { openClient, type TgClient } from "../../lib/telegram/client.ts";
import type { AccountConfig } from "../../lib/telegram/connect_files.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import type { FetchTaskEvent, FetchTaskResult } from "../../lib/telegram/fetch_task.ts";
import { type HistoryShardTask, runHistoryShard } from "../../lib/telegram/history_shard.ts";
import type { EventBody } from "../../lib/progress/events.ts";

// One client per account for the worker's lifetime; its pause/retry events go to the task running now.
const _clients = new Map<string, Promise<TgClient>>();
let _emit: ((e: EventBody) => void) | undefined;

/** Handles one history_shard task (see module comment). */
export async function historyShard(
  task: HistoryShardTask,
  ctx: TaskContext<FetchTaskEvent>,
): Promise<FetchTaskResult> {
  _emit = (event) => ctx.emit({ kind: "event", event });
  try {
    const client = await _client(task.account);
    const messages = await runHistoryShard(client, task, { onPage: (p) => ctx.emit(p), signal: ctx.signal });
    return { bytes: 0, messages };
  } finally {
    _emit = undefined;
  }
}

function _client(account: AccountConfig): Promise<TgClient> {
  const key = `${account.apiId}|${account.endpoints ?? ""}|${account.session}`;
  let p = _clients.get(key);
  if (!p) {
    p = openClient({
      apiId: account.apiId,
      apiHash: account.apiHash,
      session: account.session,
      endpoints: account.endpoints ? parseEndpoints(account.endpoints) : undefined,
      proxy: account.proxy,
      emit: (e) => _emit?.(e),
    });
    p.catch(() => _clients.delete(key));
    _clients.set(key, p);
  }
  return p;
}
