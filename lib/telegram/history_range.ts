/**
 * Pages through one id range of a chat, ascending, and splits it when a page is held up: a page
 * that drew a FLOOD_WAIT or looked lost (its call paused or sent a copy) keeps only its own 100
 * ids, and the rest of the range is fetched beside it instead of after it. Without the split every
 * later page of the range waited for that one (in `bench faults`, export seed 22: one page's flood,
 * two lost copies and a second flood held the last 400 ids of its shard 5.3 s, and their media
 * after them). Pages may therefore arrive out of order; each names the id it starts after, and the
 * consumer (shard_feed.ts) puts them back in order.
 */
import type { HistoryPage, MappedMessage } from "./history_page.ts";

/** The ids a full page covers at least when ids are dense (Telegram's page limit). */
export const PAGE_IDS = 100;

/** A page of a range: `after < id <= cursor` is covered once it arrives. */
export interface RangePage {
  after: number;
  cursor: number;
  messages: MappedMessage[];
}

/** Fetches the page just above `after` within `upTo`; `onTrouble` is called if the call is held up. */
export type PageFetch = (after: number, upTo: number, onTrouble: () => void) => Promise<HistoryPage>;

/**
 * Fetches every page of `after < id <= upTo` through `fetch`, handing each to `onPage` as it
 * arrives (see module comment); resolves with the number of messages.
 */
export async function fetchRange(
  after: number,
  upTo: number,
  fetch: PageFetch,
  onPage: (page: RangePage) => void,
  signal?: AbortSignal,
): Promise<number> {
  let total = 0;
  const rests: Promise<number>[] = [];
  try {
    while (after < upTo) {
      signal?.throwIfAborted();
      const from = after;
      let bound = upTo;
      const page = await fetch(from, upTo, () => {
        // split once per page, and only when at least two pages' worth of ids would move
        if (bound !== upTo || upTo - from < 3 * PAGE_IDS) return;
        bound = from + PAGE_IDS;
        const rest = fetchRange(bound, upTo, fetch, onPage, signal);
        rest.catch(() => {}); // awaited below; failing first must not go unhandled
        rests.push(rest);
      });
      // the answer may reach past a split made while it was on its way: those ids are the rest's
      const messages = page.messages.filter((m) => m.message.id <= bound);
      // a page that ends early (or stops moving) means the range up to the bound is exhausted
      const cursor = page.more && page.last > from && page.last < bound ? page.last : bound;
      total += messages.length;
      onPage({ after: from, cursor, messages });
      after = cursor;
      upTo = bound;
    }
    for (const n of await Promise.all(rests)) total += n;
    return total;
  } finally {
    // on failure, the split-off fetches end with the signal; wait so none outlives the call
    await Promise.allSettled(rests);
  }
}
