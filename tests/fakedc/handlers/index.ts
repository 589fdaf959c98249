/**
 * The fake DC's RPC handlers. `createHandlers(world, opts)` returns, per DC, a map from GramJS
 * className ("messages.GetHistory") to handler. State (auth, uploads, takeouts, flood history,
 * migrated files) is shared by every DC of the cluster, like Telegram's.
 */
import type { DcSpec, HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { World } from "../world/types.ts";
import { HandlerEnv, type HandlerOptions } from "./env.ts";
import { peerHandlers } from "./peers.ts";
import { historyHandlers } from "./history.ts";
import { fileHandlers } from "./files.ts";
import { uploadHandlers, uploadRules, Uploads } from "./uploads.ts";
import { BOT_FORBIDDEN, BotState } from "./bot_state.ts";
import { botUpdateHandlers } from "./bot_updates.ts";
import { botChatHandlers } from "./bot_chat.ts";
import { callbackHandlers } from "./callbacks.ts";
import { appConfigHandlers } from "./app_config.ts";
import { mediaMaker, sendHandlers } from "./send.ts";
import { authHandlers } from "./auth.ts";
import { takeoutHandlers, Takeouts } from "./takeout.ts";
import { FloodState, withRpcFaults } from "./rpc_faults.ts";
import { editHandlers } from "./edit.ts";

export type { HandlerOptions } from "./env.ts";

/** Methods a key without a logged-in user may call (everything else is 401 AUTH_KEY_UNREGISTERED). */
const PUBLIC = new Set([
  "help.GetConfig",
  "help.GetNearestDc",
  "auth.SendCode",
  "auth.SignIn",
  "auth.CheckPassword",
  "account.GetPassword",
  "auth.ImportBotAuthorization",
  "auth.ImportAuthorization",
  "auth.ExportLoginToken",
  "auth.ImportLoginToken",
]);

/** Build the handler maps of a cluster serving `world`. */
export function createHandlers(world: World, opts: HandlerOptions): (dc: DcSpec) => HandlerMap {
  const env = new HandlerEnv(world, opts);
  const uploads = new Uploads(uploadRules(env));
  const takeouts = new Takeouts();
  const flood = new FloodState();
  const auth = authHandlers(env);
  const bots = new BotState(env);
  const plain = {
    ...historyHandlers(env),
    ...fileHandlers(env),
    ...uploadHandlers(env, uploads),
    ...appConfigHandlers(env),
    ...sendHandlers(env, uploads),
    ...takeoutHandlers(env, takeouts),
    ...editHandlers(env),
  };
  const shared = {
    ...plain,
    ...botUpdateHandlers(env, bots),
    ...botChatHandlers(env, bots, mediaMaker(env, uploads), plain),
    ...callbackHandlers(env, bots),
  };
  const cache = new Map<number, HandlerMap>();
  return (dc: DcSpec) => {
    let map = cache.get(dc.id);
    if (map) return map;
    const raw: HandlerMap = { ...peerHandlers(env, dc.id), ...auth, ...shared };
    const guarded: HandlerMap = {};
    for (const [name, h] of Object.entries(raw)) {
      guarded[name] = (req, ctx: RpcContext) => {
        if (ctx.auth.revoked) throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
        const from = ctx.auth.importedFrom && opts.registry.get(ctx.auth.importedFrom);
        if (from && from.revoked) throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
        if (ctx.auth.userId === undefined && !PUBLIC.has(name)) {
          throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
        }
        if (bots.isBot(ctx.auth.userId) && BOT_FORBIDDEN.has(name)) {
          throw new RpcError(400, "BOT_METHOD_INVALID");
        }
        takeouts.check(ctx);
        bots.listen(name, ctx);
        return h(req, ctx);
      };
    }
    map = withRpcFaults(env, flood, dc.id, guarded);
    cache.set(dc.id, map);
    return map;
  };
}
