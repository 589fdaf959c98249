/**
 * The event schema as data: every type and field of the JSON-lines wire format, with its type,
 * whether it is required, and what it means. docs/events.md is generated from this table, and
 * validateEvent() (validate_event.ts) checks events against it. The mapped types below make the compiler reject a
 * schema that misses, adds or mis-flags a field of the EventBody union in events.ts.
 */
import type { EventBody, EventType } from "./events.ts";

/** The JSON type of one field. "error" is the EventError object; "any" is any JSON value. */
export type FieldType = "string" | "integer" | "number" | "boolean" | "error" | "any";

/** One field of an event: its JSON type, whether it must be present, and its meaning. */
export interface FieldSchema {
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** The only allowed values, for string enums. */
  values?: readonly string[];
}

/** One event type with its fields in documentation order. */
export interface EventTypeSchema {
  type: EventType;
  description: string;
  fields: readonly FieldSchema[];
}

type Body<T extends EventType> = Extract<EventBody, { type: T }>;
type FieldKeys<T extends EventType> = Exclude<keyof Body<T>, "type">;
// A key is required exactly when `{}` cannot stand in for its pick.
type IsRequired<B, K extends keyof B> = Record<never, never> extends Pick<B, K> ? false : true;
type FieldSpec<B, K extends keyof B> = {
  type: FieldType;
  required: IsRequired<B, K>;
  description: string;
  values?: readonly NonNullable<B[K]>[];
};
type TypeSpec<T extends EventType> = {
  description: string;
  fields: { [K in FieldKeys<T>]-?: FieldSpec<Body<T>, K> };
};

const ERROR_DESC = "error: `code` (stable, e.g. FLOOD_WAIT), `message` (one line), optional `data` object";

const SPEC: { [T in EventType]: TypeSpec<T> } = {
  start: {
    description: "A command began its work",
    fields: {
      command: { type: "string", required: true, description: "command name, e.g. export" },
      job: { type: "string", required: false, description: "progress-store job id (resumable work)" },
      total_items: { type: "integer", required: false, description: "items planned, when known" },
      total_bytes: { type: "integer", required: false, description: "bytes planned, when known" },
    },
  },
  item_start: {
    description: "One item (file, message page, upload) began",
    fields: {
      item: { type: "string", required: true, description: "stable item id, unique within the run" },
      name: { type: "string", required: true, description: "human name, e.g. a file name" },
      total_bytes: { type: "integer", required: false, description: "item size, when known" },
    },
  },
  item_progress: {
    description: "Bytes of an item are done (cumulative, not a delta)",
    fields: {
      item: { type: "string", required: true, description: "item id from item_start" },
      done_bytes: { type: "integer", required: true, description: "bytes done so far" },
      total_bytes: { type: "integer", required: false, description: "item size, when known" },
      done_count: { type: "integer", required: false, description: "things done so far (export: messages)" },
      total_count: { type: "integer", required: false, description: "how many there are, when known" },
      unit: { type: "string", required: false, description: "what done_count counts (messages)" },
    },
  },
  item_stage: {
    description: "An item moved to another stage of its work (grab: reading the link, each stream's " +
      "download, merging, audio extraction, media tasks, sending to the --to chat)",
    fields: {
      item: { type: "string", required: true, description: "item id from item_start" },
      stage: {
        type: "string",
        required: true,
        description: "the stage that began",
        values: ["info", "download", "merge", "audio", "convert", "post", "upload"],
      },
      detail: { type: "string", required: false, description: "what exactly, e.g. the format id" },
    },
  },
  item_done: {
    description: "An item finished, or was skipped because it was already done",
    fields: {
      item: { type: "string", required: true, description: "item id" },
      name: { type: "string", required: false, description: "human name" },
      bytes: { type: "integer", required: false, description: "bytes transferred or written" },
      path: { type: "string", required: false, description: "where the result was written" },
      skipped: { type: "boolean", required: false, description: "true when nothing had to be done" },
    },
  },
  item_failed: {
    description: "An item failed; the batch goes on",
    fields: {
      item: { type: "string", required: true, description: "item id" },
      error: { type: "error", required: true, description: ERROR_DESC },
    },
  },
  pause: {
    description: "Work (or one account) waits before going on. With several accounts " +
      "(`--account`, `--bot-token` on download, export and upload) " +
      "only the flooded one pauses, and while another is free its work, a file in progress too, moves there",
    fields: {
      reason: {
        type: "string",
        required: true,
        description: "why",
        values: ["flood_wait", "rate_limit", "disk_budget", "reconnect"],
      },
      seconds: { type: "number", required: true, description: "planned wait in seconds" },
      account: {
        type: "string",
        required: false,
        description: "the paused account or bot, when only one is",
      },
      method: { type: "string", required: false, description: "the Telegram method that was throttled" },
    },
  },
  resume: {
    description: "A pause ended. For one account's flood wait it comes when the wait is over, also when " +
      "no request slept it (its work had moved to another account); a run that ends first sends none",
    fields: {
      reason: { type: "string", required: true, description: "the reason of the pause that ended" },
      account: { type: "string", required: false, description: "the account that resumed" },
    },
  },
  retry: {
    description: "An operation failed and will be tried again",
    fields: {
      item: { type: "string", required: false, description: "item id, when the retry is for one item" },
      attempt: {
        type: "integer",
        required: true,
        description: "number of the coming attempt (2 = first retry)",
      },
      delay_ms: { type: "integer", required: true, description: "wait before the attempt, in milliseconds" },
      error: { type: "error", required: true, description: ERROR_DESC },
    },
  },
  sync_stage: {
    description: "`sync`: one file passed a stage of download -> upload -> verify -> delete local",
    fields: {
      item: { type: "string", required: true, description: "item id (chat id/message id)" },
      stage: {
        type: "string",
        required: true,
        description: "downloaded (in --temp), uploaded (and verified), streamed (too big for --max-disk: " +
          "Telegram straight into rclone rcat, verified), on_remote (already there, same size), deleted (local copy)",
        values: ["downloaded", "uploaded", "streamed", "on_remote", "deleted"],
      },
      bytes: { type: "integer", required: false, description: "file size" },
      path: { type: "string", required: false, description: "path on the remote, relative to the target" },
      hash: {
        type: "string",
        required: false,
        description: "hash type the upload was verified with (size only when absent)",
      },
    },
  },
  upload_progress: {
    description:
      "`sync`, `grab --to`: bytes of an item's upload are sent (cumulative; sync: rclone's stats, about " +
      "every second; grab: over the link's files, as Telegram confirms parts)",
    fields: {
      item: { type: "string", required: true, description: "item id" },
      done_bytes: { type: "integer", required: true, description: "bytes sent so far" },
      total_bytes: { type: "integer", required: false, description: "file size" },
    },
  },
  state_saved: {
    description: "`sync`: the run's state was saved (a save point, or a stop)",
    fields: {
      where: {
        type: "string",
        required: true,
        description:
          "kv (progress store), telegram (the state message in Saved Messages), file (Telegram refused it)",
        values: ["kv", "telegram", "file"],
      },
      watermark: {
        type: "integer",
        required: true,
        description: "every file of a message up to this id is on the remote",
      },
      files_uploaded: { type: "integer", required: true, description: "files uploaded in all runs" },
      status: { type: "string", required: true, description: "running, done, stopped, quota or failed" },
      path: { type: "string", required: false, description: "the local file, for where=file" },
    },
  },
  log: {
    description: "A human log line",
    fields: {
      level: { type: "string", required: true, description: "severity", values: ["debug", "info"] },
      message: { type: "string", required: true, description: "the line" },
    },
  },
  warning: {
    description: "Something went wrong but the work goes on",
    fields: {
      code: { type: "string", required: true, description: "stable warning code" },
      message: { type: "string", required: true, description: "one line for people" },
      item: { type: "string", required: false, description: "item id, when about one item" },
    },
  },
  result: {
    description:
      "The command's answer (e.g. `config show` settings, `upload`'s diagnostics report: docs/upload.md); " +
      "shape depends on kind",
    fields: {
      kind: { type: "string", required: true, description: "what data holds, e.g. config" },
      data: { type: "any", required: true, description: "the result itself" },
    },
  },
  serve_listen: {
    description: "`tgpipe serve` accepts connections",
    fields: {
      url: { type: "string", required: true, description: "base URL, e.g. http://127.0.0.1:8080" },
      public: { type: "boolean", required: true, description: "links need no signature (--public)" },
    },
  },
  bot_ready: {
    description: "`tgpipe bot` is connected and answers messages",
    fields: {
      username: { type: "string", required: true, description: "the bot's username" },
      admin_url: {
        type: "string",
        required: false,
        description: "the admin page's base URL (--admin-listen; log in with /admin)",
      },
    },
  },
  broadcast_progress: {
    description: "The bot's broadcast sender delivered more copies (throttled), and once more when it ends",
    fields: {
      broadcast: { type: "string", required: true, description: "broadcast id (`tgpipe bot broadcast`)" },
      sent: { type: "integer", required: true, description: "users who got it, over all runs" },
      failed: { type: "integer", required: true, description: "users Telegram refused it for" },
      blocked: {
        type: "integer",
        required: true,
        description: "users who blocked the bot (USER_IS_BLOCKED)",
      },
      total: { type: "integer", required: true, description: "non-banned users when this run began" },
      done: { type: "boolean", required: true, description: "true on the final count" },
    },
  },
  http_access: {
    description: "`tgpipe serve` answered one request (once its body ended or the client went away)",
    fields: {
      method: { type: "string", required: true, description: "GET or HEAD (others are answered 405)" },
      path: {
        type: "string",
        required: true,
        description: "the URL path, without the query (signatures are never logged)",
      },
      status: { type: "integer", required: true, description: "HTTP status sent" },
      bytes: {
        type: "integer",
        required: true,
        description: "body bytes sent (fewer than planned when cut)",
      },
      ms: { type: "integer", required: true, description: "from request to the end of the body" },
      client: { type: "string", required: true, description: "client IP address" },
      range: { type: "string", required: false, description: "the Range header, when there was one" },
    },
  },
  error: {
    description: "The command failed; always the last event but done",
    fields: {
      error: { type: "error", required: true, description: ERROR_DESC },
      exit_code: { type: "integer", required: true, description: "the process exit code" },
    },
  },
  done: {
    description: "A command finished (also after partial failure or a stop)",
    fields: {
      command: { type: "string", required: true, description: "command name" },
      exit_code: { type: "integer", required: true, description: "the process exit code" },
      items_done: {
        type: "integer",
        required: true,
        description: "items finished by this run (skipped ones not counted)",
      },
      items_failed: { type: "integer", required: true, description: "items failed" },
      items_skipped: { type: "integer", required: true, description: "items already done" },
      bytes: { type: "integer", required: true, description: "bytes transferred" },
      elapsed_ms: { type: "integer", required: true, description: "wall time in milliseconds" },
    },
  },
};

/** The envelope fields every event carries besides its own. */
export const ENVELOPE_FIELDS: readonly FieldSchema[] = [
  { name: "v", type: "integer", required: true, description: "schema version, always 1" },
  { name: "ts", type: "string", required: true, description: "emit time, ISO 8601 UTC with milliseconds" },
  { name: "type", type: "string", required: true, description: "the event type (one of the sections below)" },
];

/** Every event type with its fields, in documentation order. */
export const EVENT_SCHEMA: readonly EventTypeSchema[] = (Object.keys(SPEC) as EventType[]).map((type) => ({
  type,
  description: SPEC[type].description,
  fields: Object.entries(SPEC[type].fields as Record<string, Omit<FieldSchema, "name">>).map((
    [name, f],
  ) => ({ name, ...f })),
}));
