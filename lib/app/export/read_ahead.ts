/**
 * Pages of a feed read ahead of their consumer, each handed to `onArrive` as soon as it arrives.
 * Export reads its shard feed ahead so that the feed keeps fetching (the feed's window follows what
 * was read from it) and its media downloads start early. Several pages ahead, not one: the exporter waits
 * for each message's file in message order, and with one page read ahead a file held by a
 * FLOOD_WAIT also held back every download of the pages after it (measured: media requests came
 * in bursts after each wait, the writer idle in between; `deno task bench faults`).
 */

/**
 * Pages read ahead of the consumer by default (100 messages each, so at most 3,200 messages more
 * in memory). 32, not 8: a file whose download starts only a few pages before the exporter needs
 * it has no time to wait out a FLOOD_WAIT or a lost part (in faulted exports the exporter waited
 * 0.5-2 s on most files past the first few with 8; with 32 their downloads had finished).
 */
export const READ_AHEAD_PAGES = 32;

/** The pages of `feed` in order, up to `depth` of them read before the consumer takes them. */
export async function* readAhead<T>(
  feed: AsyncGenerator<T>,
  onArrive: (page: T) => void = () => {},
  depth = READ_AHEAD_PAGES,
): AsyncGenerator<T> {
  const queue: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  // an async generator answers next() calls one after another, in order: so are the pages
  const fill = () => {
    while (!ended && queue.length < Math.max(1, depth)) {
      const p = feed.next().then((r) => {
        if (r.done) ended = true;
        else onArrive(r.value);
        return r;
      });
      p.catch(() => (ended = true)); // surfaces when awaited below
      queue.push(p);
    }
  };
  try {
    fill();
    for (;;) {
      const r = await queue.shift()!;
      if (r.done) return;
      fill();
      yield r.value;
    }
  } finally {
    // a generator takes one step at a time: the reads in flight settle before the feed closes
    await Promise.all(queue.map((p) => p.catch(() => {})));
    await feed.return(undefined);
  }
}
