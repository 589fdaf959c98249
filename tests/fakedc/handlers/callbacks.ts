/**
 * Inline keyboard presses, as Telegram runs them: a user's messages.getBotCallbackAnswer on a
 * bot's message becomes an updateBotCallbackQuery pushed to the bot's live sessions, and the
 * user's call waits for the bot's messages.setBotCallbackAnswer (BOT_RESPONSE_TIMEOUT after
 * BOT_LIMITS.callbackTimeoutMs). Callback queries are not in the pts sequence: a bot that is
 * offline when the button is pressed never sees the press.
 */
import { Buffer } from "node:buffer";
import type { HandlerMap } from "../contract.ts";
import { RpcError } from "../contract.ts";
import { big } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";
import { BOT_LIMITS, type BotState } from "./bot_state.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

interface Answer {
  message?: string;
  alert?: boolean;
  url?: string;
  cacheTime: number;
}

/** Callback query handlers. */
export function callbackHandlers(env: HandlerEnv, bots: BotState): HandlerMap {
  const pending = new Map<string, { bot: bigint; done: (a: Answer) => void }>();
  let nextQuery = BigInt(env.world.seed) * 1_000_003n + 7n;
  return {
    "messages.GetBotCallbackAnswer": async (q: Req, ctx) => {
      const me = env.me(ctx);
      const peer = q.peer?.className === "InputPeerUser" ? BigInt(q.peer.userId.toString()) : undefined;
      if (peer === undefined || !bots.isBot(peer)) throw new RpcError(400, "PEER_ID_INVALID");
      if (env.world.users.get(peer)!.accessHash !== BigInt(q.peer.accessHash.toString())) {
        throw new RpcError(400, "PEER_ID_INVALID");
      }
      const msg = bots.box(me).msgs.get(q.msgId);
      if (!msg || msg.peer !== peer || !msg.twin) throw new RpcError(400, "MESSAGE_ID_INVALID");
      const data = Buffer.from(q.data ?? []);
      const pressed = (msg.markup ?? []).flat().some((b) => b.data && Buffer.from(b.data).equals(data));
      if (!pressed) throw new RpcError(400, "DATA_INVALID");
      const queryId = nextQuery++;
      const answer = new Promise<Answer>((resolve) =>
        pending.set(String(queryId), { bot: peer, done: resolve })
      );
      bots.push(peer, (L) =>
        new L.Api.Updates({
          updates: [
            new L.Api.UpdateBotCallbackQuery({
              queryId: big(queryId),
              userId: big(me),
              peer: new L.Api.PeerUser({ userId: big(me) }),
              msgId: msg.twin!.m.id,
              chatInstance: big((me << 20n) ^ peer),
              data,
            }),
          ],
          users: bots.usersTl(L, peer, [me]),
          chats: [],
          date: bots.nowS(),
          seq: 0,
        }));
      let timer: ReturnType<typeof setTimeout> | undefined, onAbort = () => {};
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), BOT_LIMITS.callbackTimeoutMs);
        onAbort = () => resolve(undefined);
        ctx.signal.addEventListener("abort", onAbort, { once: true });
      });
      const got = await Promise.race([answer, late]).finally(() => {
        clearTimeout(timer);
        ctx.signal.removeEventListener("abort", onAbort);
        pending.delete(String(queryId));
      });
      if (!got) throw new RpcError(400, "BOT_RESPONSE_TIMEOUT");
      return new ctx.L.Api.messages.BotCallbackAnswer({
        alert: got.alert || undefined,
        message: got.message,
        url: got.url,
        cacheTime: got.cacheTime,
      });
    },
    "messages.SetBotCallbackAnswer": (q: Req, ctx) => {
      const me = env.me(ctx);
      if (!bots.isBot(me)) throw new RpcError(400, "USER_BOT_REQUIRED");
      const p = pending.get(String(q.queryId));
      if (!p || p.bot !== me) throw new RpcError(400, "QUERY_ID_INVALID");
      if (String(q.message ?? "").length > 200) throw new RpcError(400, "MESSAGE_TOO_LONG");
      p.done({ message: q.message, alert: q.alert, url: q.url, cacheTime: q.cacheTime ?? 0 });
      return true;
    },
  };
}
