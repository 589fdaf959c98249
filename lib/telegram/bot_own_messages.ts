/**
 * The bot's own recent messages as its update stream sees them (chat, reply, text → id). When a
 * send's answer is lost and the resent request is refused with RANDOM_ID_DUPLICATE, the message
 * did go out: its id is found here once the stream has caught up, so it is neither sent twice nor
 * taken for a failure.
 */
import { Api } from "telegram";
import { chatIdOf } from "./bot_map.ts";

// enough for the sends in flight at once, a bound on memory
const KEPT = 1000;

/** Index of the bot's own recent messages (see module comment). */
export class OwnMessages {
  readonly #ids = new Map<string, number>();
  #waiters = new Set<() => void>();

  /** Notes a message of the update stream when it is the bot's own. */
  note(m: Api.TypeMessage): void {
    if (!(m instanceof Api.Message) || !m.out) return;
    const key = _key(
      chatIdOf(m.peerId),
      m.message,
      (m.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId,
    );
    this.#ids.delete(key);
    this.#ids.set(key, m.id);
    if (this.#ids.size > KEPT) this.#ids.delete(this.#ids.keys().next().value!);
    for (const w of this.#waiters) w();
  }

  /**
   * The id of the newest own message with this chat, text and reply, once the stream has seen it
   * (`resync` asks it to catch up); undefined when it does not show within `ms`.
   */
  async find(chat: string, text: string, replyTo: number | undefined, resync: () => void, ms = 30_000) {
    const key = _key(chat, text, replyTo);
    const deadline = Date.now() + ms;
    resync();
    while (!this.#ids.has(key) && Date.now() < deadline) {
      let wake!: () => void;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((r) => {
        wake = r;
        this.#waiters.add(wake);
        timer = setTimeout(r, deadline - Date.now());
      });
      clearTimeout(timer);
      this.#waiters.delete(wake);
    }
    return this.#ids.get(key);
  }
}

function _key(chat: string | undefined, text: string, replyTo: number | undefined): string {
  return `${chat}\u0000${replyTo ?? ""}\u0000${text}`;
}
