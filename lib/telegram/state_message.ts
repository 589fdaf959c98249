/**
 * A small text message in the account's Saved Messages that a command keeps its state in (sync's
 * watermark), edited in place rather than posted again: found by its tag with messages.search,
 * written with messages.sendMessage once, then messages.editMessage. No GramJS type leaves here.
 */
import bigInt from "big-integer";
import { Api } from "telegram";
import { generateRandomLong } from "telegram/Helpers.js";
import { TelegramError } from "../core/errors.ts";
import type { TgClient } from "./client.ts";

/** A state message: its id and text. */
export interface StateMessage {
  id: number;
  text: string;
}

/**
 * The newest message of Saved Messages whose first line is `tag` (a single word, so Telegram's
 * search finds it as a token), or undefined when there is none.
 */
export async function findStateMessage(
  client: TgClient,
  tag: string,
  opts: { signal?: AbortSignal } = {},
): Promise<StateMessage | undefined> {
  const res = await client.call<Api.messages.TypeMessages>(
    new Api.messages.Search({
      peer: new Api.InputPeerSelf(),
      q: tag,
      filter: new Api.InputMessagesFilterEmpty(),
      minDate: 0,
      maxDate: 0,
      offsetId: 0,
      addOffset: 0,
      limit: 20,
      maxId: 0,
      minId: 0,
      hash: bigInt(0),
    }),
    { signal: opts.signal },
  );
  const msgs = "messages" in res ? res.messages : [];
  const mine = msgs.filter((m): m is Api.Message =>
    m instanceof Api.Message && m.message.split("\n")[0] === tag
  );
  mine.sort((a, b) => b.id - a.id);
  return mine[0] ? { id: mine[0].id, text: mine[0].message } : undefined;
}

/** Posts `text` to Saved Messages; resolves with the new message's id. */
export async function postStateMessage(
  client: TgClient,
  text: string,
  opts: { signal?: AbortSignal } = {},
): Promise<number> {
  const res = await client.call<Api.TypeUpdates>(
    new Api.messages.SendMessage({
      peer: new Api.InputPeerSelf(),
      message: text,
      randomId: generateRandomLong(),
      noWebpage: true,
      silent: true,
    }),
    { signal: opts.signal },
  );
  const id = _sentId(res);
  if (id === undefined) throw new TelegramError(500, "NO_MESSAGE_ID", "messages.sendMessage");
  return id;
}

/** Replaces the text of message `id` of Saved Messages; the same text again is not an error. */
export async function editStateMessage(
  client: TgClient,
  id: number,
  text: string,
  opts: { signal?: AbortSignal } = {},
): Promise<void> {
  try {
    await client.call(
      new Api.messages.EditMessage({ peer: new Api.InputPeerSelf(), id, message: text, noWebpage: true }),
      { signal: opts.signal },
    );
  } catch (err) {
    if (err instanceof TelegramError && err.rpcMessage === "MESSAGE_NOT_MODIFIED") return;
    throw err;
  }
}

function _sentId(res: Api.TypeUpdates): number | undefined {
  if (res instanceof Api.UpdateShortSentMessage) return res.id;
  if (res instanceof Api.Updates || res instanceof Api.UpdatesCombined) {
    for (const u of res.updates) {
      if (u instanceof Api.UpdateNewMessage || u instanceof Api.UpdateNewChannelMessage) return u.message.id;
    }
    for (const u of res.updates) if (u instanceof Api.UpdateMessageID) return u.id;
  }
  return undefined;
}
