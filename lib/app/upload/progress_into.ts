/**
 * The job runner knows its items, not the files inside one (an album's members, a split file's
 * pieces): their progress is reported as the item's, the done bytes of each summed.
 */
import type { Emit } from "../../progress/events.ts";

/**
 * An Emit that turns item_progress of the ids `owns` accepts into `item`'s (capped at `total`, so a
 * split's manifest does not push it past the original's size); other events pass unchanged.
 */
export function progressInto(
  item: string,
  owns: (id: string) => boolean,
  total: number | undefined,
  emit: Emit,
): Emit {
  const done = new Map<string, number>();
  return (e) => {
    if (e.type !== "item_progress" || e.item === item || !owns(e.item)) return emit(e);
    done.set(e.item, e.done_bytes);
    const sum = Math.min([...done.values()].reduce((a, b) => a + b, 0), total ?? Infinity);
    emit({ type: "item_progress", item, done_bytes: sum, total_bytes: total });
  };
}
