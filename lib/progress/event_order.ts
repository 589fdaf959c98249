/**
 * The order a command's event stream keeps (docs/events.md), for consumers that fold it into
 * state: item events come after `start`, an item's progress after its `item_start` and before its
 * `item_done`/`item_failed`, and `done` is the last event.
 */
import type { TgpipeEvent } from "./events.ts";

/** The places where `events` breaks that order (empty when it keeps it). */
export function checkEventOrder(events: readonly TgpipeEvent[]): string[] {
  const problems: string[] = [];
  let started = false;
  const open = new Set<string>();
  const ended = new Set<string>();
  events.forEach((e, i) => {
    const at = `event ${i} (${e.type})`;
    if (e.type === "start") started = true;
    if (e.type === "done" && i !== events.length - 1) problems.push(`${at}: done is not the last event`);
    if (e.type !== "item_start" && e.type !== "item_progress" && e.type !== "item_done") return;
    if (!started) problems.push(`${at}: ${e.item} before start`);
    if (e.type === "item_start") {
      open.add(e.item);
      ended.delete(e.item);
    } else if (e.type === "item_progress") {
      if (ended.has(e.item)) problems.push(`${at}: progress of ${e.item} after it ended`);
      else if (!open.has(e.item)) problems.push(`${at}: progress of ${e.item}, which has not started`);
    } else {
      open.delete(e.item);
      ended.add(e.item);
    }
  });
  return problems;
}
