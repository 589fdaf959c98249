/**
 * The one event model. The same objects drive the TTY bars, the plain lines and `--json`.
 * Field names are snake_case because they are the JSON-lines wire format (docs/events.md).
 */

/** Error payload shared by `error` and `item_failed`. */
export interface EventError {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

/** Every event type with its own fields (the envelope adds v and ts). */
export type EventBody =
  | { type: "start"; command: string; job?: string; total_items?: number; total_bytes?: number }
  | { type: "item_start"; item: string; name: string; total_bytes?: number }
  | {
    type: "item_progress";
    item: string;
    done_bytes: number;
    total_bytes?: number;
    /** Things of the item done so far (export: messages), with `unit` naming them. */
    done_count?: number;
    /** How many there are, when known (export: the chat's expected messages). */
    total_count?: number;
    unit?: string;
  }
  | {
    type: "item_stage";
    item: string;
    stage: "info" | "download" | "merge" | "audio" | "convert" | "post" | "upload";
    detail?: string;
  }
  | { type: "item_done"; item: string; name?: string; bytes?: number; path?: string; skipped?: boolean }
  | { type: "item_failed"; item: string; error: EventError }
  | {
    type: "pause";
    reason: "flood_wait" | "rate_limit" | "disk_budget" | "reconnect";
    seconds: number;
    account?: string;
    method?: string;
  }
  | { type: "resume"; reason: string; account?: string }
  | { type: "retry"; item?: string; attempt: number; delay_ms: number; error: EventError }
  | {
    type: "sync_stage";
    item: string;
    stage: "downloaded" | "uploaded" | "streamed" | "on_remote" | "deleted";
    bytes?: number;
    path?: string;
    hash?: string;
  }
  | { type: "upload_progress"; item: string; done_bytes: number; total_bytes?: number }
  | {
    type: "state_saved";
    where: "kv" | "telegram" | "file";
    watermark: number;
    files_uploaded: number;
    status: string;
    path?: string;
  }
  | { type: "log"; level: "debug" | "info"; message: string }
  | { type: "warning"; code: string; message: string; item?: string }
  | { type: "result"; kind: string; data: unknown }
  | { type: "serve_listen"; url: string; public: boolean }
  | { type: "bot_ready"; username: string; admin_url?: string }
  | {
    type: "broadcast_progress";
    broadcast: string;
    sent: number;
    failed: number;
    blocked: number;
    total: number;
    done: boolean;
  }
  | {
    type: "http_access";
    method: string;
    path: string;
    status: number;
    bytes: number;
    ms: number;
    client: string;
    range?: string;
  }
  | { type: "error"; error: EventError; exit_code: number }
  | {
    type: "done";
    command: string;
    exit_code: number;
    items_done: number;
    items_failed: number;
    items_skipped: number;
    bytes: number;
    elapsed_ms: number;
  };

/** The type names, for validators and docs. */
export type EventType = EventBody["type"];

/** An event as emitted: the body plus the schema version and an ISO timestamp. */
export type TgpipeEvent = EventBody & { v: 1; ts: string };

/** Something that receives events (reporters, recorders, the JSON writer). */
export interface EventSink {
  /** Handles one event; must not throw for ordinary output problems. */
  write(event: TgpipeEvent): void;
  /** Flushes and releases the sink (stops bar redraw timers). */
  close(): void | Promise<void>;
  /**
   * Takes what it drew off the terminal (TTY bars) so another writer can print there; the next
   * redraw draws it again below. Sinks that draw nothing have none.
   */
  clear?(): void;
}

/** The function every long operation receives to report what it does. */
export type Emit = (event: EventBody) => void;
