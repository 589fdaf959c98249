/**
 * Where each exported message's note is, for reply links, in a few bytes per message: a chat of
 * 100k messages kept 100k note-path strings in a Map before (tens of MB of heap once V8's growth
 * is counted). Ids arrive in ascending order (the sharded fetch and the Desktop reader keep it),
 * so they go into fixed-size chunks of 32-bit fields searched by bisection (16 bytes a message;
 * chunks, not one array doubled and copied: at 100k messages a doubled Float64Array held 4 MB plus
 * the 2 MB it was copied from, outside V8's heap, which showed as RSS growing with the chat). An
 * id out of order, or a value that does not fit the fields, goes to a Map.
 */

/** The album head a message's note derives from: its first message's id, date and topic. */
export interface NoteHead {
  id: number;
  date: number;
  topic_id?: number;
}

const FIELDS = 4; // id, head id, head date (unix seconds), head topic (0 = none)
const CHUNK = 8192; // messages per chunk (128 KB)
const U32 = 2 ** 32;

/** See the module comment. */
export class LinkIndex {
  readonly #chunks: Uint32Array[] = [];
  #count = 0;
  #late = new Map<number, NoteHead>();

  /** Messages recorded. */
  get size(): number {
    return this.#count + this.#late.size;
  }

  /** Records that message `id` lives in the note of album head `head`. */
  set(id: number, head: NoteHead): void {
    const n = this.#count;
    const fits = _u32(id) && id > 0 && _u32(head.id) && _u32(head.date) &&
      (head.topic_id === undefined || (_u32(head.topic_id) && head.topic_id > 0));
    if (!fits || (n > 0 && id <= this.#field(n - 1, 0))) {
      this.#late.set(id, { id: head.id, date: head.date, topic_id: head.topic_id });
      return;
    }
    if (n % CHUNK === 0) this.#chunks.push(new Uint32Array(CHUNK * FIELDS));
    const chunk = this.#chunks[this.#chunks.length - 1];
    const at = (n % CHUNK) * FIELDS;
    chunk[at] = id;
    chunk[at + 1] = head.id;
    chunk[at + 2] = head.date;
    chunk[at + 3] = head.topic_id ?? 0;
    this.#count = n + 1;
  }

  /** The album head of message `id`, if it was recorded. */
  get(id: number): NoteHead | undefined {
    const late = this.#late.get(id);
    if (late) return late;
    let lo = 0;
    let hi = this.#count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.#field(mid, 0);
      if (v === id) {
        const topic = this.#field(mid, 3);
        const head: NoteHead = { id: this.#field(mid, 1), date: this.#field(mid, 2) };
        if (topic !== 0) head.topic_id = topic;
        return head;
      }
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  #field(i: number, f: number): number {
    return this.#chunks[Math.floor(i / CHUNK)][(i % CHUNK) * FIELDS + f];
  }
}

function _u32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < U32;
}
