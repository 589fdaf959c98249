/**
 * Private to lib/telegram: links a TgClient to its GramJS client. Files outside lib/telegram
 * must not import this (it is the only way a GramJS class could leak out).
 */
import type { TelegramClient } from "telegram";

const _grams = new WeakMap<object, TelegramClient>();

/** Records the GramJS client behind a TgClient. */
export function bindGram(owner: object, gram: TelegramClient): void {
  _grams.set(owner, gram);
}

/** The GramJS client behind a TgClient; throws if it was closed. */
export function gramOf(owner: object): TelegramClient {
  const gram = _grams.get(owner);
  if (!gram) throw new Error("Telegram client is closed");
  return gram;
}

/** Forgets the GramJS client (after close). */
export function unbindGram(owner: object): void {
  _grams.delete(owner);
}
