/**
 * Which of a DC's file connections takes a request: the least busy one, opening another while each
 * carries its share. While the DC's first connections are still opening, a request waits for them
 * instead of queueing on the ones already open: the first one that opened took ~50 of a batch's first
 * parts and hash requests and drained them at one connection's bandwidth while the others carried one
 * each (seen in `bench download --small`). Once they all opened (or while one is opened again later)
 * the least busy one takes it, however busy.
 */

/** What picking needs of one DC's connections. */
export interface PickableDc<S extends { busy: number }> {
  senders: S[];
  /** Connections being opened. */
  opening: number;
  /** Every slot was open at once: from then on a connection opened again holds up no request. */
  started: boolean;
  /** Requests waiting for the connections still opening; woken when one opened or failed or a request ended. */
  changed: Array<() => void>;
}

/**
 * The least busy sender of `dc` not in `avoid` (any when all are), counted busy with the request;
 * undefined when the caller is to open one: a slot was free and every open one carries `perConn`, and
 * the slot is counted in `dc.opening` (the caller takes it back once the sender opened or failed).
 */
export async function pickSender<S extends { busy: number }>(
  dc: PickableDc<S>,
  limits: { max: number; perConn: number },
  avoid: Set<S>,
  closed: () => boolean,
): Promise<S | undefined> {
  for (;;) {
    if (closed()) throw new Error("File pool is closed");
    const least = (ok: (x: S) => boolean) =>
      dc.senders.reduce<S | undefined>((a, b) => (!ok(b) ? a : !a || b.busy < a.busy ? b : a), undefined);
    const full = dc.senders.length + dc.opening >= limits.max;
    const idle = least((x) => !avoid.has(x)) ?? (full ? least(() => true) : undefined);
    if (idle && idle.busy < limits.perConn) return take(idle);
    if (!full) {
      // the slot is counted now: requests picking in the same turn must see it taken
      dc.opening++;
      return undefined;
    }
    if (idle && (dc.started || dc.opening === 0)) return take(idle);
    await new Promise<void>((r) => dc.changed.push(r));
  }
}

/** Counts `s` busy with one more request. */
export function take<S extends { busy: number }>(s: S): S {
  s.busy++;
  return s;
}
