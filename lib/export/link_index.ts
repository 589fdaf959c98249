/**
 * Where each exported message's note is, for reply links, in a few bytes per message: a chat of
 * 100k messages kept 100k note-path strings in a Map before (tens of MB of heap once V8's growth
 * is counted). Ids arrive in ascending order (the sharded fetch and the Desktop reader keep it),
 * so they go into growable typed arrays searched by bisection; an id out of order goes to a Map.
 */

/** The album head a message's note derives from: its first message's id, date and topic. */
export interface NoteHead {
  id: number;
  date: number;
  topic_id?: number;
}

const FIELDS = 4; // id, head id, head date, head topic (NaN = none)

/** See the module comment. */
export class LinkIndex {
  #data = new Float64Array(FIELDS * 1024);
  #count = 0;
  #late = new Map<number, NoteHead>();

  /** Messages recorded. */
  get size(): number {
    return this.#count + this.#late.size;
  }

  /** Records that message `id` lives in the note of album head `head`. */
  set(id: number, head: NoteHead): void {
    const n = this.#count;
    if (n > 0 && id <= this.#data[(n - 1) * FIELDS]) {
      this.#late.set(id, { id: head.id, date: head.date, topic_id: head.topic_id });
      return;
    }
    if ((n + 1) * FIELDS > this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    const at = n * FIELDS;
    this.#data[at] = id;
    this.#data[at + 1] = head.id;
    this.#data[at + 2] = head.date;
    this.#data[at + 3] = head.topic_id ?? NaN;
    this.#count = n + 1;
  }

  /** The album head of message `id`, if it was recorded. */
  get(id: number): NoteHead | undefined {
    const late = this.#late.get(id);
    if (late) return late;
    let lo = 0;
    let hi = this.#count - 1;
    const d = this.#data;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = d[mid * FIELDS];
      if (v === id) {
        const topic = d[mid * FIELDS + 3];
        const head: NoteHead = { id: d[mid * FIELDS + 1], date: d[mid * FIELDS + 2] };
        if (!Number.isNaN(topic)) head.topic_id = topic;
        return head;
      }
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
