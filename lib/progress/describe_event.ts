import type { TgpipeEvent } from "./events.ts";
import { formatBytes } from "../core/format.ts";

/** How chatty a human reporter is. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** One human line for an event, or undefined when the event is not shown at this verbosity. */
export function describeEvent(e: TgpipeEvent, verbosity: Verbosity): string | undefined {
  if (verbosity === "quiet" && e.type !== "error") return undefined;
  switch (e.type) {
    case "start":
      return `${e.command} started${e.job ? ` (job ${e.job})` : ""}${
        e.total_items !== undefined ? `: ${e.total_items} items` : ""
      }`;
    case "item_start":
      return verbosity === "verbose" ? `start ${e.name}` : undefined;
    case "item_progress":
      return undefined;
    case "item_stage":
      return verbosity === "verbose" ? `${e.stage} ${e.item}${e.detail ? `: ${e.detail}` : ""}` : undefined;
    case "item_done":
      return `${e.skipped ? "skipped" : "done"} ${e.name ?? e.item}${
        e.bytes !== undefined ? ` (${formatBytes(e.bytes)})` : ""
      }`;
    case "item_failed":
      return `failed ${e.item}: ${e.error.message}`;
    case "pause":
      if (e.reason === "disk_budget") {
        return verbosity === "verbose" ? "waiting for disk space (--max-disk)" : undefined;
      }
      return `paused ${e.seconds}s: ${e.reason.replace("_", " ")}${
        e.account ? ` (account ${e.account})` : ""
      }${e.method ? ` on ${e.method}` : ""}`;
    case "resume":
      if (e.reason === "disk_budget") return verbosity === "verbose" ? "disk space free again" : undefined;
      return `resumed after ${e.reason.replace("_", " ")}`;
    case "retry":
      return verbosity === "verbose"
        ? `retry ${e.attempt}${e.item ? ` of ${e.item}` : ""} in ${e.delay_ms} ms: ${e.error.message}`
        : undefined;
    case "sync_stage":
      return verbosity === "verbose" || e.stage === "streamed"
        ? `${e.stage.replace("_", " ")} ${e.path ?? e.item}${
          e.bytes !== undefined ? ` (${formatBytes(e.bytes)})` : ""
        }`
        : undefined;
    case "upload_progress":
      return undefined;
    case "state_saved":
      return verbosity === "verbose" || e.status !== "running"
        ? `state saved (${e.where}${
          e.path ? ` ${e.path}` : ""
        }): up to message ${e.watermark}, ${e.files_uploaded} files, ${e.status}`
        : undefined;
    case "log":
      return e.level === "info" || verbosity === "verbose" ? e.message : undefined;
    case "warning":
      return `warning: ${e.message}`;
    case "result":
      return undefined;
    case "serve_listen":
      return `listening on ${e.url}${e.public ? " (public: links need no signature)" : ""}`;
    case "bot_ready":
      return `bot @${e.username} is running${
        e.admin_url ? `; admin page at ${e.admin_url} (send /admin)` : ""
      }`;
    case "broadcast_progress":
      return e.done || verbosity === "verbose"
        ? `broadcast ${e.broadcast}${e.done ? " finished" : ""}: ${e.sent} sent, ${e.failed} failed, ` +
          `${e.blocked} blocked of ${e.total}`
        : undefined;
    case "http_access":
      return verbosity === "verbose"
        ? `${e.client} ${e.method} ${e.path}${
          e.range ? ` [${e.range}]` : ""
        } ${e.status} ${e.bytes} B ${e.ms} ms`
        : undefined;
    case "error":
      return `error: ${e.error.message}`;
    case "done":
      return `${e.command} finished in ${
        (e.elapsed_ms / 1000).toFixed(1)
      }s: ${e.items_done} done, ${e.items_failed} failed, ${e.items_skipped} skipped${
        e.bytes ? `, ${formatBytes(e.bytes)}` : ""
      }`;
  }
}
