/**
 * updates.getState and updates.getDifference over each account's update log (bot_state.ts):
 * new messages since `pts` come as new_messages, edits as other_updates; more than a slice's
 * worth is an updates.differenceSlice whose intermediate_state the client asks from next, as
 * Telegram does (core.telegram.org/api/updates).
 */
import type { HandlerMap } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { HandlerEnv } from "./env.ts";
import type { BotState } from "./bot_state.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** Most updates one difference carries (less when the client's pts_total_limit says so). */
export const DIFFERENCE_SLICE = 100;

/** Update-state handlers. */
export function botUpdateHandlers(env: HandlerEnv, bots: BotState): HandlerMap {
  return {
    "updates.GetState": (_q: Req, ctx) => {
      const b = bots.box(env.me(ctx));
      return new ctx.L.Api.updates.State({
        pts: b.pts,
        qts: b.qts,
        date: b.date,
        seq: b.seq,
        unreadCount: 0,
      });
    },
    "updates.GetDifference": (q: Req, ctx) => {
      const me = env.me(ctx);
      const b = bots.box(me);
      const A = ctx.L.Api;
      if (!(q.pts > 0) || q.pts > b.pts) throw new RpcError(400, "PERSISTENT_TIMESTAMP_INVALID");
      const pending = b.log.filter((e) => e.pts > q.pts);
      if (pending.length === 0) return new A.updates.DifferenceEmpty({ date: b.date, seq: b.seq });
      const limit = Math.min(DIFFERENCE_SLICE, q.ptsTotalLimit > 0 ? q.ptsTotalLimit : DIFFERENCE_SLICE);
      const slice = pending.slice(0, limit);
      const state = new A.updates.State({
        pts: slice.at(-1)!.pts,
        qts: b.qts,
        date: slice.length < pending.length ? slice.at(-1)!.msg.m.date : b.date,
        seq: b.seq,
        unreadCount: 0,
      });
      const common = {
        newMessages: slice.filter((e) => e.kind === "new").map((e) => bots.messageTl(ctx.L, e.msg)),
        newEncryptedMessages: [],
        otherUpdates: slice.filter((e) => e.kind === "edit").map((e) => bots.updateTl(ctx.L, e)),
        chats: [],
        users: bots.usersTl(ctx.L, me, slice.flatMap((e) => [e.msg.peer])),
      };
      return slice.length < pending.length
        ? new A.updates.DifferenceSlice({ ...common, intermediateState: state })
        : new A.updates.Difference({ ...common, state });
    },
  };
}
