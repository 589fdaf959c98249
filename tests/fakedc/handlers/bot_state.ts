/**
 * Conversations with bots, as Telegram keeps them: each account has its own message ids, its
 * update state (pts, qts, date, seq) and a log of the updates that moved its pts, so a client
 * that was away catches up with updates.getDifference; live updates go to every connected,
 * authorized session of the account. Private chats between two accounts where one is a bot live
 * here (the world's chats are the self user's view, so the self user's side is also stored there
 * and its messages.getHistory sees the conversation).
 */
import { Buffer } from "node:buffer";
import type { Layer, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WChat, WMessage } from "../world/types.ts";
import { messageToTl, userToTl } from "../world/to_tl.ts";
import { serializeResult } from "../mtproto/tl.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Tl = any;

/** An inline keyboard button (callback data or a URL). */
export interface BotButton {
  text: string;
  data?: Uint8Array;
  url?: string;
}

/** One message in one account's box: `twin` is the same message in the other side's box. */
export interface BoxMsg {
  owner: bigint;
  peer: bigint;
  m: WMessage;
  markup?: BotButton[][];
  twin?: BoxMsg;
}

/** One update of the account's pts sequence. */
export interface BoxEntry {
  pts: number;
  kind: "new" | "edit";
  msg: BoxMsg;
}

/** An account's update state and log. */
export interface Box {
  pts: number;
  qts: number;
  seq: number;
  date: number;
  log: BoxEntry[];
  msgs: Map<number, BoxMsg>;
  nextId: number;
}

/**
 * Bot limits (core.telegram.org/bots/faq): about one message per second in a chat, with short
 * bursts allowed, and about 30 per second overall; above them FLOOD_WAIT_X.
 */
export const BOT_LIMITS = {
  perChat: { count: 3, windowMs: 3000 },
  overall: { count: 30, windowMs: 1000 },
  /** How long a user's messages.getBotCallbackAnswer waits for the bot (then BOT_RESPONSE_TIMEOUT). */
  callbackTimeoutMs: 10_000,
};

/** Methods Telegram refuses to bots (BOT_METHOD_INVALID). */
export const BOT_FORBIDDEN = new Set([
  "messages.GetDialogs",
  "messages.GetBotCallbackAnswer",
  "contacts.Block",
  "contacts.Unblock",
  "messages.SearchGlobal",
]);

interface Live {
  L: Layer;
  push: (body: Uint8Array) => void;
}

/** The shared state of every bot conversation of a cluster. */
export class BotState {
  readonly boxes = new Map<bigint, Box>();
  /** Connected sessions that receive updates, by user id then connection id. */
  readonly live = new Map<bigint, Map<number, Live>>();
  /** "<user>:<blocked peer>". */
  readonly blocked = new Set<string>();
  /** "<sender>:<random_id>" of every message sent here: a repeat is RANDOM_ID_DUPLICATE, as in send.ts. */
  readonly randomIds = new Set<string>();
  readonly #sends = new Map<string, number[]>();
  /** "<owner>:<peer>" pairs whose owner was sent a message from that peer (short updates then). */
  readonly #known = new Set<string>();

  constructor(readonly env: HandlerEnv) {}

  /** Whether `id` is a bot of the world. */
  isBot(id: bigint | undefined): boolean {
    return id !== undefined && this.env.world.users.get(id)?.bot === true;
  }

  /** The update state of `userId` (pts starts at 1, as the fake DC always answered getState). */
  box(userId: bigint): Box {
    let b = this.boxes.get(userId);
    if (!b) {
      b = { pts: 1, qts: 0, seq: 1, date: this.nowS(), log: [], msgs: new Map(), nextId: 1 };
      this.boxes.set(userId, b);
    }
    return b;
  }

  /** Server time, s. */
  nowS(): number {
    return Math.floor(this.env.now() / 1000);
  }

  /**
   * Marks the call's connection as one that receives updates: like Telegram, a session gets them
   * once it made a call (file transfers and invokeWithoutUpdates calls do not count).
   */
  listen(method: string, ctx: RpcContext): void {
    const uid = ctx.auth.userId;
    if (uid === undefined || !ctx.push || ctx.noUpdates || /^(upload|auth|help)\./.test(method)) return;
    let conns = this.live.get(uid);
    if (!conns) this.live.set(uid, conns = new Map());
    if (conns.has(ctx.connId)) return;
    conns.set(ctx.connId, { L: ctx.L, push: ctx.push });
    ctx.signal.addEventListener("abort", () => conns.delete(ctx.connId), { once: true });
  }

  /** Sends `build(L)` (an Updates object of the session's layer) to every live session of `userId`. */
  push(userId: bigint, build: (L: Layer) => Tl, exceptConn?: number): void {
    for (const [connId, s] of this.live.get(userId) ?? []) {
      if (connId !== exceptConn) s.push(serializeResult(build(s.L)));
    }
  }

  /** A new message id in `owner`'s box (the self user shares the world's common counter). */
  nextId(owner: bigint): number {
    return owner === this.env.world.selfUserId ? this.env.world.nextCommonId++ : this.box(owner).nextId++;
  }

  /** Stores `msg` in its owner's box (and the self user's in the world chat with the peer). */
  store(msg: BoxMsg): void {
    this.box(msg.owner).msgs.set(msg.m.id, msg);
    if (msg.owner !== this.env.world.selfUserId) return;
    const key = `user:${msg.peer}`;
    let chat = this.env.world.chats.get(key);
    if (!chat) {
      const u = this.env.world.users.get(msg.peer);
      chat = { ...this.privateChat(msg.peer), accessHash: u?.accessHash ?? 0n, title: u?.firstName ?? "" };
      this.env.world.chats.set(key, chat);
    }
    chat.messages.push(msg.m);
  }

  /** Appends an update to the owner's log (pts + 1) and returns it. */
  record(kind: BoxEntry["kind"], msg: BoxMsg): BoxEntry {
    const box = this.box(msg.owner);
    box.pts++;
    box.date = this.nowS();
    const e = { pts: box.pts, kind, msg };
    box.log.push(e);
    return e;
  }

  /** The private chat with `peer` as seen by anyone (messages are converted one by one). */
  privateChat(peer: bigint): WChat {
    return {
      kind: "private",
      id: peer,
      accessHash: 0n,
      title: "",
      date: 0,
      messages: [],
      selfMember: true,
      participants: [],
    };
  }

  /** The TL Message of a box message, for its owner, with its inline keyboard. */
  messageTl(L: Layer, msg: BoxMsg): Tl {
    const A = L.Api;
    const t = this.env.tl({ L, auth: { userId: msg.owner } } as RpcContext);
    const out = messageToTl(t, this.privateChat(msg.peer), msg.m);
    if (msg.markup) {
      out.replyMarkup = new A.ReplyInlineMarkup({
        rows: msg.markup.map((row) =>
          new A.KeyboardButtonRow({
            buttons: row.map((b) =>
              b.url !== undefined
                ? new A.KeyboardButtonUrl({ text: b.text, url: b.url })
                : new A.KeyboardButtonCallback({ text: b.text, data: Buffer.from(b.data ?? []) })
            ),
          })
        ),
      });
    }
    return out;
  }

  /** TL users for `owner`'s view of these ids. */
  usersTl(L: Layer, owner: bigint, ids: bigint[]): Tl[] {
    const t = this.env.tl({ L, auth: { userId: owner } } as RpcContext);
    return [...new Set([owner, ...ids])].map((id) => this.env.world.users.get(id)).filter((u) => u)
      .map((u) => userToTl(t, u!));
  }

  /** The Update of a log entry. */
  updateTl(L: Layer, e: BoxEntry): Tl {
    const A = L.Api;
    const message = this.messageTl(L, e.msg);
    return e.kind === "new"
      ? new A.UpdateNewMessage({ message, pts: e.pts, ptsCount: 1 })
      : new A.UpdateEditMessage({ message, pts: e.pts, ptsCount: 1 });
  }

  /**
   * Pushes a log entry to the owner's live sessions (but `exceptConn`, which gets it as the
   * answer). A bot gets a plain text message from a user it already heard from as the short
   * updateShortMessage (no user object), as Telegram sends them; everything else as `updates`.
   */
  pushEntry(e: BoxEntry, exceptConn?: number): void {
    const { owner, peer, m } = e.msg;
    const known = `${owner}:${peer}`;
    const short = e.kind === "new" && this.isBot(owner) && !m.media && !e.msg.markup &&
      this.#known.has(known);
    if (e.kind === "new") this.#known.add(known);
    this.push(owner, (L) => {
      const A = L.Api;
      if (short) {
        const msg = this.messageTl(L, e.msg);
        return new A.UpdateShortMessage({
          out: msg.out,
          id: msg.id,
          userId: msg.peerId.userId,
          message: msg.message,
          pts: e.pts,
          ptsCount: 1,
          date: msg.date,
          entities: msg.entities,
          replyTo: msg.replyTo,
        });
      }
      return new A.Updates({
        updates: [this.updateTl(L, e)],
        users: this.usersTl(L, owner, [peer]),
        chats: [],
        date: this.nowS(),
        seq: 0,
      });
    }, exceptConn);
  }

  /** FLOOD_WAIT_X when bot `bot` exceeds the per-chat or overall limit sending to `chat`. */
  checkFlood(bot: bigint, chat: bigint): void {
    const now = this.env.now();
    const keys: Array<[string, { count: number; windowMs: number }]> = [
      [`${bot}:${chat}`, BOT_LIMITS.perChat],
      [`${bot}`, BOT_LIMITS.overall],
    ];
    for (const [key, lim] of keys) {
      const list = (this.#sends.get(key) ?? []).filter((t) => t > now - lim.windowMs);
      this.#sends.set(key, list);
      if (list.length >= lim.count) {
        throw new RpcError(
          420,
          `FLOOD_WAIT_${Math.max(1, Math.ceil((list[0] + lim.windowMs - now) / 1000))}`,
        );
      }
    }
    for (const [key] of keys) this.#sends.get(key)!.push(now);
  }
}
