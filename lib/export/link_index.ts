/**
 * Where each exported message's note is, for reply links, in a few bytes per message. Ids arrive
 * in ascending order (the sharded fetch and the Desktop reader keep it), so each record is stored
 * as the difference from the one before it: blocks of 64 records, each record four varints (id
 * step, how far back its album head is, date step, topic), about 4-6 bytes a message where fixed
 * 32-bit fields took 16 (1.6 MB per 100k messages, all of it native memory that grew with the
 * chat). A lookup bisects the blocks by their first id and decodes at most one block. An id out of
 * order, or a value that does not fit, goes to a Map.
 */

/** The album head a message's note derives from: its first message's id, date and topic. */
export interface NoteHead {
  id: number;
  date: number;
  topic_id?: number;
}

const BLOCK = 64; // records per block: a lookup decodes at most this many
const CHUNK = 1 << 16; // bytes per chunk (a block never spans two)
const MAX_RECORD = 4 * 5; // four varints of values below 2^35
const U32 = 2 ** 32;

/** See the module comment. */
export class LinkIndex {
  readonly #chunks: Uint8Array[] = [];
  /** Per block: its first id, its chunk and its offset there. */
  readonly #blockFirst: number[] = [];
  readonly #blockChunk: number[] = [];
  readonly #blockAt: number[] = [];
  #at = CHUNK; // write position in the last chunk (CHUNK: none yet)
  #count = 0;
  #lastId = 0;
  #lastDate = 0;
  #late = new Map<number, NoteHead>();

  /** Messages recorded. */
  get size(): number {
    return this.#count + this.#late.size;
  }

  /** Bytes of the records' chunks (the index's memory, less a few numbers per block). */
  get bytes(): number {
    return this.#chunks.length * CHUNK;
  }

  /** Records that message `id` lives in the note of album head `head`. */
  set(id: number, head: NoteHead): void {
    const fits = _u32(id) && id > 0 && _u32(head.id) && head.id <= id && _u32(head.date) &&
      (head.topic_id === undefined || (_u32(head.topic_id) && head.topic_id > 0));
    if (!fits || (this.#count > 0 && id <= this.#lastId)) {
      this.#late.set(id, { id: head.id, date: head.date, topic_id: head.topic_id });
      return;
    }
    if (this.#count % BLOCK === 0) {
      if (this.#at + BLOCK * MAX_RECORD > CHUNK) {
        this.#chunks.push(new Uint8Array(CHUNK));
        this.#at = 0;
      }
      this.#blockFirst.push(id);
      this.#blockChunk.push(this.#chunks.length - 1);
      this.#blockAt.push(this.#at);
      this.#lastId = 0;
      this.#lastDate = 0;
    }
    const b = this.#chunks[this.#chunks.length - 1];
    let at = _put(b, this.#at, id - this.#lastId);
    at = _put(b, at, id - head.id);
    at = _put(b, at, _zigzag(head.date - this.#lastDate));
    this.#at = _put(b, at, head.topic_id ?? 0);
    this.#lastId = id;
    this.#lastDate = head.date;
    this.#count++;
  }

  /** The album head of message `id`, if it was recorded. */
  get(id: number): NoteHead | undefined {
    const late = this.#late.get(id);
    if (late) return late;
    // the last block whose first id is at most `id`
    let lo = 0;
    let hi = this.#blockFirst.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#blockFirst[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    if (hi < 0 || this.#blockFirst[lo] > id) return undefined;
    const b = this.#chunks[this.#blockChunk[lo]];
    const r = { at: this.#blockAt[lo] };
    const n = Math.min(BLOCK, this.#count - lo * BLOCK);
    let cur = 0;
    let date = 0;
    for (let i = 0; i < n; i++) {
      cur += _get(b, r);
      const back = _get(b, r);
      date += _unzigzag(_get(b, r));
      const topic = _get(b, r);
      if (cur < id) continue;
      if (cur > id) return undefined;
      const head: NoteHead = { id: cur - back, date };
      if (topic !== 0) head.topic_id = topic;
      return head;
    }
    return undefined;
  }
}

/** Writes `v` (0 ≤ v < 2^35) as a varint at `at`; the position after it. */
function _put(b: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    b[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  b[at++] = v;
  return at;
}

/** Reads the varint at `r.at` and moves past it. */
function _get(b: Uint8Array, r: { at: number }): number {
  let v = 0;
  let scale = 1;
  for (;;) {
    const x = b[r.at++];
    v += (x & 0x7f) * scale;
    if (x < 0x80) return v;
    scale *= 0x80;
  }
}

function _zigzag(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

function _unzigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}

function _u32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < U32;
}
