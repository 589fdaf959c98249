/**
 * Messages of the fetch worker (workers/fetch_worker.ts): tasks are dispatched by `kind` to a
 * handler in workers/fetch_tasks/. Plain data only: tasks cross threads by structured clone.
 */
import type { PartPlan } from "../engine/parts.ts";
import type { AccountConfig } from "./connect_files.ts";
import type { RemoteFile } from "./remote_file.ts";
import type { HistoryPageEvent, HistoryShardTask } from "./history_shard.ts";
import type { EventBody } from "../progress/events.ts";

/** Fetch parts of one file and write them at their offsets into `partPath`. */
export interface FilePartsTask {
  kind: "file_parts";
  account: AccountConfig;
  file: RemoteFile;
  partPath: string;
  parts: PartPlan[];
  /** Connections per DC this worker may open. */
  connections: number;
  /**
   * Another account is free: a FLOOD_WAIT fails the part at once (TelegramError 420) instead of
   * being slept out here, so the main thread can send it elsewhere. Default false.
   */
  handoff?: boolean;
}

/** Any task; handlers registered in workers/fetch_tasks/index.ts narrow it by `kind`. */
export type FetchTask = FilePartsTask | HistoryShardTask | { kind: string; [field: string]: unknown };

/** A task's answer: bytes written for file_parts, free-form for other kinds. */
export interface FetchTaskResult {
  bytes: number;
  [field: string]: unknown;
}

/** Progress a task reports while it runs. */
export type FetchTaskEvent =
  | { kind: "part_done"; index: number; bytes: number }
  | { kind: "log"; message: string }
  /** A page of a history_shard task. */
  | HistoryPageEvent
  /** A pause/retry event of the worker's own Telegram client (flood waits show their countdown). */
  | { kind: "event"; event: EventBody };
