/**
 * One remote file fetched over several lanes (accounts, bots), part by part: each part goes to
 * a lane that is not paused, the file's own lane first, so a lane that hits a rate limit (a
 * FLOOD_WAIT) does not hold the file's remaining parts for the whole wait. The engine knows no
 * accounts: a lane only says until when it is paused and how to fetch.
 */
import type { FileHashRange, FileSource, PartWriter } from "./file_source.ts";
import type { PartPlan } from "./parts.ts";

/** One way to fetch a file (an account's connections); its source is made on first use. */
export interface FileLane {
  /** Until when (ms since the epoch) this lane takes no work; 0 or past = free. */
  pausedUntil(): number;
  /** This lane's FileSource of the file (refreshes its file reference through its own client). */
  source(): FileSource;
  /** This lane's part writer (fetch workers), when parts are written elsewhere. */
  partWriter?(): PartWriter;
}

/** The file as the engine fetches it: a source, and a part writer when every lane has one. */
export interface SharedFile {
  source: FileSource;
  partWriter?: PartWriter;
}

/**
 * Shares one file's parts (and its hash requests) between `lanes`; `lanes[0]` is the file's own
 * lane. A request that fails on a lane which paused itself meanwhile (a handed-off FLOOD_WAIT)
 * goes at once to another lane that is free or frees up sooner; other failures are thrown for
 * the engine's retry. With every lane paused, the one whose pause ends first gets the request.
 */
export function shareFile(lanes: FileLane[], file: { key: string; size: number }): SharedFile {
  if (lanes.length === 0) throw new RangeError("shareFile needs at least one lane");
  const sources = new Map<FileLane, FileSource>();
  const sourceOf = (l: FileLane) => {
    let s = sources.get(l);
    if (!s) sources.set(l, s = l.source());
    return s;
  };
  const writers = new Map<FileLane, PartWriter>();
  const writerOf = (l: FileLane) => {
    let w = writers.get(l);
    if (!w) writers.set(l, w = l.partWriter!());
    return w;
  };
  // the lane source each part's bytes came from, which takes them back (FileSource.release)
  const from = new WeakMap<Uint8Array, FileSource>();
  const source: FileSource = {
    key: file.key,
    size: file.size,
    fetchPart: (part: PartPlan, signal: AbortSignal) =>
      _onLane(lanes, async (l) => {
        const src = sourceOf(l);
        const bytes = await src.fetchPart(part, signal);
        from.set(bytes, src);
        return bytes;
      }),
    release: (bytes: Uint8Array) => {
      const src = from.get(bytes);
      from.delete(bytes);
      src?.release?.(bytes);
    },
  };
  // the file's own lane is the one its parts go to first
  if (sourceOf(lanes[0]).ready) source.ready = (signal) => sourceOf(lanes[0]).ready!(signal);
  // one lane's source decides whether the file has hashes (--no-verify leaves them out everywhere)
  if (sourceOf(lanes[0]).hashes) {
    source.hashes = (signal: AbortSignal): Promise<FileHashRange[]> =>
      _onLane(lanes, (l) => {
        const h = sourceOf(l).hashes;
        if (!h) throw new TypeError("Every lane of a shared file must offer hashes");
        return h(signal);
      });
  }
  const out: SharedFile = { source };
  if (lanes.every((l) => l.partWriter)) {
    out.partWriter = (part, partPath, signal) => _onLane(lanes, (l) => writerOf(l)(part, partPath, signal));
  }
  return out;
}

async function _onLane<T>(lanes: FileLane[], fn: (lane: FileLane) => Promise<T>): Promise<T> {
  const tried = new Set<FileLane>();
  for (;;) {
    const lane = _pick(lanes, tried);
    tried.add(lane);
    try {
      return await fn(lane);
    } catch (err) {
      // Only a lane that paused itself while failing hands its work over; one try per lane, so
      // a failure every lane shares (a bad file, a dead network) reaches the engine's retry.
      const now = Date.now();
      if (lane.pausedUntil() <= now) throw err;
      const next = lanes.find((l) => !tried.has(l) && l.pausedUntil() < lane.pausedUntil());
      if (!next) throw err;
    }
  }
}

function _pick(lanes: FileLane[], tried: Set<FileLane>): FileLane {
  const now = Date.now();
  const open = lanes.filter((l) => !tried.has(l));
  const pool = open.length > 0 ? open : lanes;
  // lanes[0] (the file's own) wins among free lanes; else the pause that ends first
  return pool.find((l) => l.pausedUntil() <= now) ??
    pool.reduce((a, b) => (b.pausedUntil() < a.pausedUntil() ? b : a));
}
