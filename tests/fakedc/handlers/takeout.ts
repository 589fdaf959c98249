/** Takeout sessions: init (with TAKEOUT_INIT_DELAY_X), validation of invokeWithTakeout, split ranges. */
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import { big } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";

/** Live takeout sessions by id, with the user that opened them. */
export class Takeouts {
  readonly live = new Map<bigint, bigint>();
  readonly firstAsked = new Map<bigint, number>();
  private next = 0x7a6b0000n;

  /** TAKEOUT_INVALID unless the call's takeout id is live and belongs to the caller. */
  check(ctx: RpcContext): void {
    if (ctx.takeoutId === undefined) return;
    if (this.live.get(BigInt(ctx.takeoutId.toString())) !== ctx.auth.userId) {
      throw new RpcError(400, "TAKEOUT_INVALID");
    }
  }

  /** A fresh session id. */
  open(userId: bigint): bigint {
    const id = this.next++;
    this.live.set(id, userId);
    return id;
  }
}

/** Takeout handlers. */
export function takeoutHandlers(env: HandlerEnv, t: Takeouts): HandlerMap {
  return {
    "account.InitTakeoutSession": (_q, ctx) => {
      const me = env.me(ctx);
      const delay = env.opts.faults.takeoutDelayS;
      if (delay > 0) {
        // The user must approve in another app; Telegram lets the request through once the delay passed.
        const first = t.firstAsked.get(me) ?? env.now();
        t.firstAsked.set(me, first);
        const left = Math.ceil(delay - (env.now() - first) / 1000);
        if (left > 0) throw new RpcError(420, `TAKEOUT_INIT_DELAY_${left}`);
      }
      return new ctx.L.Api.account.Takeout({ id: big(t.open(me)) });
    },
    "account.FinishTakeoutSession": (_q, ctx) => {
      if (ctx.takeoutId === undefined) throw new RpcError(400, "TAKEOUT_REQUIRED");
      t.live.delete(BigInt(ctx.takeoutId.toString()));
      return true;
    },
    "messages.GetSplitRanges": (_q, ctx) => {
      env.me(ctx);
      const A = ctx.L.Api, top = env.world.nextCommonId - 1, step = 100000;
      const out = [];
      for (let lo = 1; lo <= Math.max(top, 1); lo += step) {
        out.push(new A.MessageRange({ minId: lo, maxId: Math.min(lo + step - 1, Math.max(top, 1)) }));
      }
      return out.reverse();
    },
  };
}
