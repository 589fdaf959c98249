/**
 * The messages an earlier export left in a chat's messages.jsonl that this run does not fetch
 * again: other forum topics when one topic is exported, ids or dates outside this run's bounds.
 * A narrower run merges them back in id order, so the output never shrinks to the narrower run.
 */
import type { Message } from "../../core/message.ts";
import { readJsonlMessages } from "./read_jsonl.ts";

/** See the module comment. */
export class KeptMessages {
  #it: AsyncGenerator<Message> | undefined;
  #next: Message | undefined;
  #done = false;
  /** Messages handed out so far. */
  count = 0;

  private constructor(it: AsyncGenerator<Message> | undefined) {
    this.#it = it;
    this.#done = it === undefined;
  }

  /**
   * The messages of the committed file at `path` above `after` that `fetched` says this run does
   * not fetch (none when there is no such file); their media links go into `media`.
   */
  static async open(
    path: string,
    o: { after: number; fetched: (m: Message) => boolean; media: Map<number, string | null> },
  ): Promise<KeptMessages> {
    const exists = await Deno.stat(path).then((s) => s.isFile, () => false);
    if (!exists) return new KeptMessages(undefined);
    // only kept messages hand their media links on: a fetched one gets its file (and its media
    // post-processing) again
    const links = new Map<number, string | null>();
    const all = readJsonlMessages(path, links, o.after);
    async function* kept(): AsyncGenerator<Message> {
      for await (const m of all) {
        if (m.id > o.after && !o.fetched(m)) {
          if (links.has(m.id)) o.media.set(m.id, links.get(m.id)!);
          yield m;
        }
        links.delete(m.id);
      }
    }
    return new KeptMessages(kept());
  }

  /** Kept messages below `id`, in order; one with `id` itself is dropped (the fetched copy wins). */
  async *before(id: number): AsyncGenerator<Message> {
    for (;;) {
      const m = await this.#peek();
      if (m === undefined || m.id > id) return;
      this.#next = undefined;
      if (m.id === id) continue;
      this.count++;
      yield m;
    }
  }

  /** Every kept message not handed out yet. */
  rest(): AsyncGenerator<Message> {
    return this.before(Number.POSITIVE_INFINITY);
  }

  /** Stops reading the file (after a failure). */
  async close(): Promise<void> {
    this.#done = true;
    await this.#it?.return(undefined);
  }

  async #peek(): Promise<Message | undefined> {
    if (this.#next !== undefined || this.#done) return this.#next;
    const r = await this.#it!.next();
    if (r.done) this.#done = true;
    else this.#next = r.value;
    return this.#next;
  }
}
