/**
 * Private messages between a user and a bot, strict like Telegram: sendMessage / sendMedia land
 * in both sides' boxes (each with its own id and pts) and reach the other side's live sessions;
 * a bot's inline keyboard takes callback data of at most 64 bytes (BUTTON_DATA_INVALID); a bot
 * may edit its own messages (updateEditMessage to the user); a user who blocked the bot makes the
 * bot's sends fail USER_IS_BLOCKED; bots cannot message bots (USER_IS_BOT); bot sends are
 * flood-limited (bot_state.ts BOT_LIMITS); a random_id sent before is RANDOM_ID_DUPLICATE (a resent
 * request never posts twice). Other chats go to the plain handlers.
 */
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WMedia, WMessage } from "../world/types.ts";
import type { HandlerEnv } from "./env.ts";
import type { BotButton, BotState, BoxMsg } from "./bot_state.ts";
import { entitiesOf } from "./send.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** The user of an InputPeerUser / InputUser, access hash checked; undefined for other peers. */
function _peerUser(env: HandlerEnv, input: Req): bigint | undefined {
  if (input?.className !== "InputPeerUser" && input?.className !== "InputUser") return undefined;
  const u = env.world.users.get(BigInt(input.userId.toString()));
  if (!u || u.accessHash !== BigInt(input.accessHash.toString())) throw new RpcError(400, "PEER_ID_INVALID");
  return u.id;
}

function _markup(q: Req): BotButton[][] | undefined {
  const rm = q.replyMarkup;
  if (!rm) return undefined;
  if (rm.className !== "ReplyInlineMarkup") throw new RpcError(400, "REPLY_MARKUP_INVALID");
  return (rm.rows ?? []).map((row: Req) =>
    (row.buttons ?? []).map((b: Req): BotButton => {
      if (b.className === "KeyboardButtonUrl") return { text: b.text, url: b.url };
      if (b.className !== "KeyboardButtonCallback") throw new RpcError(400, "REPLY_MARKUP_INVALID");
      const data = new Uint8Array(b.data ?? []);
      if (data.length === 0 || data.length > 64) throw new RpcError(400, "BUTTON_DATA_INVALID");
      return { text: String(b.text ?? ""), data };
    })
  );
}

/** Handlers overriding sendMessage / sendMedia / editMessage for conversations with bots. */
export function botChatHandlers(
  env: HandlerEnv,
  bots: BotState,
  toMedia: (m: Req, me: bigint) => WMedia,
  plain: HandlerMap,
): HandlerMap {
  // The bot side of a private chat, or undefined when neither side is a bot.
  const dialog = (q: Req, ctx: RpcContext): { me: bigint; peer: bigint } | undefined => {
    const me = env.me(ctx);
    const peer = _peerUser(env, q.peer);
    if (peer === undefined || (!bots.isBot(me) && !bots.isBot(peer))) return undefined;
    if (bots.isBot(me) && bots.isBot(peer)) throw new RpcError(400, "USER_IS_BOT");
    if (bots.isBot(me) && bots.blocked.has(`${peer}:${me}`)) throw new RpcError(400, "USER_IS_BLOCKED");
    if (!bots.isBot(me) && bots.blocked.has(`${me}:${peer}`)) throw new RpcError(400, "YOU_BLOCKED_USER");
    return { me, peer };
  };
  // a request sent again (a resend after a lost answer) must not post twice, as on Telegram: checked
  // first, before its uploaded file is looked at (that file was used by the first copy)
  const fresh = (q: Req, d: { me: bigint }): string | undefined => {
    const rid = q.randomId === undefined || q.randomId === null ? undefined : `${d.me}:${q.randomId}`;
    if (rid && bots.randomIds.has(rid)) throw new RpcError(400, "RANDOM_ID_DUPLICATE");
    return rid;
  };
  const send = (q: Req, ctx: RpcContext, d: { me: bigint; peer: bigint }, media?: WMedia) => {
    const markup = bots.isBot(d.me) ? _markup(q) : undefined;
    const rid = fresh(q, d);
    if (bots.isBot(d.me)) bots.checkFlood(d.me, d.peer);
    if (rid) bots.randomIds.add(rid);
    const base: Omit<WMessage, "id"> = {
      date: bots.nowS(),
      text: String(q.message ?? ""),
      entities: entitiesOf(q.entities),
      media,
      from: { kind: "user", id: d.me },
    };
    const replyTo = q.replyTo?.replyToMsgId ?? q.replyToMsgId;
    const mine: BoxMsg = {
      owner: d.me,
      peer: d.peer,
      markup,
      m: { ...base, id: bots.nextId(d.me), reply: replyTo ? { msgId: replyTo } : undefined },
    };
    const theirReply = replyTo ? bots.box(d.me).msgs.get(replyTo)?.twin?.m.id : undefined;
    const theirs: BoxMsg = {
      owner: d.peer,
      peer: d.me,
      markup,
      m: { ...base, id: bots.nextId(d.peer), reply: theirReply ? { msgId: theirReply } : undefined },
      twin: mine,
    };
    mine.twin = theirs;
    bots.store(mine);
    bots.store(theirs);
    const e = bots.record("new", mine);
    bots.pushEntry(e, ctx.connId);
    bots.pushEntry(bots.record("new", theirs));
    const A = ctx.L.Api;
    return new A.Updates({
      updates: [new A.UpdateMessageID({ id: mine.m.id, randomId: q.randomId }), bots.updateTl(ctx.L, e)],
      users: bots.usersTl(ctx.L, d.me, [d.peer]),
      chats: [],
      date: base.date,
      seq: 0,
    });
  };
  const block = (on: boolean) => (q: Req, ctx: RpcContext) => {
    const peer = _peerUser(env, q.id);
    if (peer === undefined) throw new RpcError(400, "CONTACT_ID_INVALID");
    const key = `${env.me(ctx)}:${peer}`;
    if (on) bots.blocked.add(key);
    else bots.blocked.delete(key);
    return true;
  };
  return {
    "messages.SendMessage": (q: Req, ctx) => {
      const d = dialog(q, ctx);
      if (!d) return plain["messages.SendMessage"](q, ctx);
      const text = String(q.message ?? "");
      if (!text.trim()) throw new RpcError(400, "MESSAGE_EMPTY");
      if (text.length > 4096) throw new RpcError(400, "MESSAGE_TOO_LONG");
      return send(q, ctx, d);
    },
    "messages.SendMedia": (q: Req, ctx) => {
      const d = dialog(q, ctx);
      if (!d) return plain["messages.SendMedia"](q, ctx);
      if (String(q.message ?? "").length > 1024) throw new RpcError(400, "MEDIA_CAPTION_TOO_LONG");
      _markup(q);
      fresh(q, d);
      return send(q, ctx, d, toMedia(q.media, d.me));
    },
    "messages.EditMessage": (q: Req, ctx) => {
      const me = env.me(ctx);
      const peer = _peerUser(env, q.peer);
      if (peer === undefined || (!bots.isBot(me) && !bots.isBot(peer))) {
        return plain["messages.EditMessage"](q, ctx);
      }
      return edit(q, ctx, me, peer);
    },
    "contacts.Block": block(true),
    "contacts.Unblock": block(false),
  };

  function edit(q: Req, ctx: RpcContext, me: bigint, peer: bigint) {
    const msg = bots.box(me).msgs.get(q.id);
    if (!msg || msg.peer !== peer) throw new RpcError(400, "MESSAGE_ID_INVALID");
    if (msg.m.from?.id !== me) throw new RpcError(403, "MESSAGE_AUTHOR_REQUIRED");
    if (q.media) throw new RpcError(400, "MEDIA_INVALID");
    // like Telegram, an edit without reply_markup leaves the message without a keyboard
    const markup = q.replyMarkup ? _markup(q) : undefined;
    const text = q.message === undefined ? msg.m.text : String(q.message);
    if (!text.trim() && !msg.m.media) throw new RpcError(400, "MESSAGE_EMPTY");
    if (text.length > (msg.m.media ? 1024 : 4096)) throw new RpcError(400, "MESSAGE_TOO_LONG");
    if (
      text === msg.m.text &&
      JSON.stringify(markup?.length ? markup : undefined) === JSON.stringify(msg.markup)
    ) {
      throw new RpcError(400, "MESSAGE_NOT_MODIFIED");
    }
    const date = bots.nowS();
    for (const x of [msg, msg.twin!]) {
      x.m.text = text;
      x.m.entities = q.message === undefined ? x.m.entities : entitiesOf(q.entities);
      x.m.editDate = date;
      // an empty keyboard removes it
      x.markup = markup?.length ? markup : undefined;
    }
    const e = bots.record("edit", msg);
    bots.pushEntry(e, ctx.connId);
    bots.pushEntry(bots.record("edit", msg.twin!));
    const A = ctx.L.Api;
    return new A.Updates({
      updates: [bots.updateTl(ctx.L, e)],
      users: bots.usersTl(ctx.L, me, [peer]),
      chats: [],
      date,
      seq: 0,
    });
  }
}
