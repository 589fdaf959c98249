/**
 * Encodes the peer of a chat as an opaque string ("user:1:hash", "channel:2:hash", "chat:3")
 * so that later commands can build an input peer without resolving the chat again.
 */
import bigInt from "big-integer";
import { Api } from "telegram";
import type { PeerKind } from "../core/message.ts";

/** A decoded peer locator. */
export interface PeerLocator {
  kind: PeerKind;
  id: number;
  accessHash?: string;
}

/** Encodes a peer locator as `kind:id[:access_hash]`. */
export function encodePeer(p: PeerLocator): string {
  return p.accessHash === undefined ? `${p.kind}:${p.id}` : `${p.kind}:${p.id}:${p.accessHash}`;
}

/** Decodes `kind:id[:access_hash]`; throws RangeError for anything else. */
export function decodePeer(text: string): PeerLocator {
  const m = /^(user|chat|channel):(\d+)(?::(-?\d+))?$/.exec(text);
  if (!m) throw new RangeError(`Not a peer locator: ${JSON.stringify(text)}`);
  return m[3] === undefined
    ? { kind: m[1] as PeerKind, id: Number(m[2]) }
    : { kind: m[1] as PeerKind, id: Number(m[2]), accessHash: m[3] };
}

/** Builds the GramJS input peer for a locator (lib/telegram only). */
export function inputPeerOf(p: PeerLocator, selfId?: number): Api.TypeInputPeer {
  if (p.kind === "user") {
    if (selfId !== undefined && p.id === selfId) return new Api.InputPeerSelf();
    return new Api.InputPeerUser({ userId: bigInt(p.id), accessHash: bigInt(p.accessHash ?? "0") });
  }
  if (p.kind === "chat") return new Api.InputPeerChat({ chatId: bigInt(p.id) });
  return new Api.InputPeerChannel({ channelId: bigInt(p.id), accessHash: bigInt(p.accessHash ?? "0") });
}
