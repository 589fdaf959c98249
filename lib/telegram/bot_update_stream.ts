/**
 * A bot's updates, each exactly once, as Telegram's update rules give them
 * (core.telegram.org/api/updates): the stream starts from the saved state with
 * updates.getDifference (following differenceSlice), then takes live updates, applying each
 * pts-carrying one only when it is the next in sequence; one already applied is skipped, a gap
 * (or a reconnect) fetches the difference again. The saved state also holds the last incoming
 * message id handled, so a stop inside a difference batch never yields a message twice on restart
 * (a bot's private message ids grow with its pts).
 */
import { Api } from "telegram";
import { UpdateConnectionState } from "telegram/network/index.js";
import { Raw } from "telegram/events/index.js";
import type { BotUpdate } from "../core/bot_types.ts";
import { StoppedError } from "../core/errors.ts";
import type { TgClient } from "./client.ts";
import { gramOf } from "./_gram.ts";
import { mapBotCallback, mapBotMessage } from "./bot_map.ts";
import { OwnMessages } from "./bot_own_messages.ts";

/** Where the bot's update state is kept between runs (lib/app keeps it in the progress store). */
export interface BotUpdateState {
  pts: number;
  qts: number;
  date: number;
  seq: number;
  /** The last incoming message id handed out (ids of a bot's private chats only grow). */
  message_id: number;
}

/** Loads and saves {@link BotUpdateState}. */
export interface BotStateStore {
  load(): Promise<BotUpdateState | undefined>;
  save(state: BotUpdateState): Promise<void>;
  /** Remembers a user's access hash, so the bot can message them after a restart (broadcast). */
  savePeer?(user_id: string, access_hash: string): Promise<void>;
  loadPeer?(user_id: string): Promise<string | undefined>;
}

type Item = { kind: "updates"; list: Api.TypeUpdate[]; users: Api.TypeUser[] } | { kind: "resync" };

/** The update stream of one connected bot (see module comment). */
export class BotUpdateStream {
  readonly users = new Map<string, Api.User>();
  /** The bot's own recent messages (a resent send refused as a duplicate finds its id here). */
  readonly ownMessages = new OwnMessages();
  #state?: BotUpdateState;
  #queue: Item[] = [];
  #wake?: () => void;
  #seenQueries = new Set<string>();
  #savedPeers = new Set<string>();
  #signal?: AbortSignal;

  constructor(readonly client: TgClient, readonly store: BotStateStore) {}

  /** Remembers the users of an answer or update (senders are mapped from them). */
  addUsers(list: Api.TypeUser[]): void {
    for (const u of list) if (u instanceof Api.User && !u.min) this.users.set(u.id.toString(), u);
  }

  /** Feeds an RPC answer of the bot's own (a send or edit) so its pts is not mistaken for a gap. */
  own(res: Api.TypeUpdates): void {
    if (res instanceof Api.Updates || res instanceof Api.UpdatesCombined) {
      this.#push({ kind: "updates", list: res.updates, users: res.users });
    }
    if (res instanceof Api.UpdateShortSentMessage) {
      this.#push({ kind: "updates", list: [res as unknown as Api.TypeUpdate], users: [] });
    }
  }

  #push(item: Item): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  /**
   * Updates until `signal` aborts; see the module comment. An update counts as handled when the
   * consumer asks for the next one (the loop after abort does): leaving the loop with break or a
   * throw leaves the last one to come again after a restart.
   */
  async *run(signal: AbortSignal): AsyncGenerator<BotUpdate> {
    const gram = gramOf(this.client);
    this.#signal = signal;
    const handler = (u: Api.TypeUpdate | Api.TypeUpdates | UpdateConnectionState) => {
      if (u instanceof UpdateConnectionState) {
        if (u.state === UpdateConnectionState.connected) this.#push({ kind: "resync" });
        return;
      }
      // deno-lint-ignore no-explicit-any
      const entities = (u as any)._entities as Map<string, Api.TypeUser> | undefined;
      this.#push({ kind: "updates", list: [u as Api.TypeUpdate], users: [...(entities?.values() ?? [])] });
    };
    const raw = new Raw({});
    gram.addEventHandler(handler, raw);
    const onAbort = () => this.#wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      this.#state = await this.store.load();
      if (!this.#state) {
        const s = await this.client.call<Api.updates.State>(new Api.updates.GetState(), { signal });
        this.#state = { pts: s.pts, qts: s.qts, date: s.date, seq: s.seq, message_id: 0 };
        await this.store.save(this.#state);
      }
      yield* this.#difference(signal);
      while (!signal.aborted) {
        const item = this.#queue.shift();
        if (!item) {
          await new Promise<void>((r) => this.#wake = r);
          this.#wake = undefined;
          continue;
        }
        if (item.kind === "resync") yield* this.#difference(signal);
        else yield* this.#live(item, signal);
      }
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
      try {
        gram.removeEventHandler(handler, raw);
      } catch { /* the client was closed first */ }
    }
  }

  async *#live(item: Item & { kind: "updates" }, signal: AbortSignal): AsyncGenerator<BotUpdate> {
    this.addUsers(item.users);
    for (let u of item.list) {
      if (u instanceof Api.UpdateBotCallbackQuery) {
        yield* this.#callback(u);
        continue;
      }
      const short = u as unknown as Api.TypeUpdates;
      if (short instanceof Api.UpdateShortMessage || short instanceof Api.UpdateShortChatMessage) {
        const full = _expand(short, this.users);
        // without the sender's user object, the difference carries the message and its sender
        if (!full) {
          if (short.pts > this.#state!.pts) yield* this.#difference(signal);
          continue;
        }
        u = full;
      }
      const pts = "pts" in u && "ptsCount" in u && typeof u.pts === "number" ? u : undefined;
      if (!pts || u instanceof Api.UpdateNewChannelMessage || u instanceof Api.UpdateEditChannelMessage) {
        continue;
      }
      const s = this.#state!;
      if (pts.pts <= s.pts) continue; // applied already (an own send's echo, or a difference)
      if (pts.pts > s.pts + (pts.ptsCount as number)) {
        yield* this.#difference(signal);
        continue;
      }
      s.pts = pts.pts;
      if (u instanceof Api.UpdateNewMessage) yield* this.#message(u.message);
      else await this.store.save(s);
    }
  }

  /** Asks the stream to catch up with getDifference (as after a reconnection). */
  resync(): void {
    this.#push({ kind: "resync" });
  }

  async *#message(m: Api.TypeMessage): AsyncGenerator<BotUpdate> {
    this.ownMessages.note(m);
    const s = this.#state!;
    const out = m.id > s.message_id ? mapBotMessage(m, this.users) : undefined;
    if (!out) {
      await this.store.save(s);
      return;
    }
    await this.#remember(out.from.id);
    this.#stopIfAborted();
    yield out;
    // handed out and the consumer came back for more: it is done with this one
    s.message_id = Math.max(s.message_id, m.id);
    await this.store.save(s);
  }

  async *#callback(u: Api.UpdateBotCallbackQuery): AsyncGenerator<BotUpdate> {
    const id = u.queryId.toString();
    if (this.#seenQueries.has(id)) return;
    this.#seenQueries.add(id);
    if (this.#seenQueries.size > 10_000) this.#seenQueries.delete(this.#seenQueries.values().next().value!);
    const out = mapBotCallback(u, this.users);
    if (!out) return;
    await this.#remember(out.from.id);
    this.#stopIfAborted();
    yield out;
  }

  // Nothing more is handed out once stopped (a fetched batch is not drained): what was not
  // handed out comes again after a restart.
  #stopIfAborted(): void {
    if (this.#signal?.aborted) throw new StoppedError("Bot updates stopped");
  }

  async #remember(id: string): Promise<void> {
    const hash = this.users.get(id)?.accessHash?.toString();
    if (!this.store.savePeer || hash === undefined || this.#savedPeers.has(id)) return;
    await this.store.savePeer(id, hash);
    this.#savedPeers.add(id);
  }

  /** updates.getDifference from the saved state until it is empty (slices followed). */
  async *#difference(signal: AbortSignal): AsyncGenerator<BotUpdate> {
    for (;;) {
      this.#stopIfAborted();
      const s = this.#state!;
      const d = await this.client.call<Api.updates.TypeDifference>(
        new Api.updates.GetDifference({ pts: s.pts, qts: s.qts, date: s.date }),
        { signal },
      );
      if (d instanceof Api.updates.DifferenceEmpty) {
        s.date = d.date;
        s.seq = d.seq;
        await this.store.save(s);
        return;
      }
      if (d instanceof Api.updates.DifferenceTooLong) {
        // Telegram dropped what was missed: start again from where it says
        s.pts = d.pts;
        await this.store.save(s);
        continue;
      }
      this.addUsers(d.users);
      for (const m of d.newMessages) yield* this.#message(m);
      for (const u of d.otherUpdates) if (u instanceof Api.UpdateBotCallbackQuery) yield* this.#callback(u);
      const next = d instanceof Api.updates.Difference ? d.state : d.intermediateState;
      Object.assign(s, { pts: next.pts, qts: next.qts, date: next.date, seq: next.seq });
      await this.store.save(s);
      if (d instanceof Api.updates.Difference) return;
    }
  }
}

// updateShortMessage from a user already known, as the updateNewMessage it stands for.
function _expand(
  u: Api.UpdateShortMessage | Api.UpdateShortChatMessage,
  users: Map<string, Api.User>,
): Api.UpdateNewMessage | undefined {
  const from = u instanceof Api.UpdateShortMessage ? u.userId : u.fromId;
  if (!users.has(from.toString())) return undefined;
  const message = new Api.Message({
    out: u.out,
    id: u.id,
    fromId: u.out ? undefined : new Api.PeerUser({ userId: from }),
    peerId: u instanceof Api.UpdateShortMessage
      ? new Api.PeerUser({ userId: u.userId })
      : new Api.PeerChat({ chatId: u.chatId }),
    date: u.date,
    message: u.message,
    entities: u.entities,
    replyTo: u.replyTo,
    fwdFrom: u.fwdFrom,
    viaBotId: u.viaBotId,
  });
  return new Api.UpdateNewMessage({ message, pts: u.pts, ptsCount: u.ptsCount });
}
