/** help.getAppConfig: the client configuration Telegram advertises (upload part limits). */
import { type HandlerMap, RpcError } from "../contract.ts";
import type { HandlerEnv } from "./env.ts";

/** help.getAppConfig with upload_max_fileparts_default / _premium from the cluster's config. */
export function appConfigHandlers(env: HandlerEnv): HandlerMap {
  return {
    "help.GetAppConfig": (_q, ctx) => {
      // as Telegram: a user method
      if (env.world.users.get(env.me(ctx))?.bot) throw new RpcError(400, "BOT_METHOD_INVALID");
      const A = ctx.L.Api;
      const f = env.opts.faults;
      const num = (key: string, value: number) =>
        new A.JsonObjectValue({ key, value: new A.JsonNumber({ value }) });
      const config = new A.JsonObject({
        value: [
          num("upload_max_fileparts_default", f.uploadMaxParts),
          num("upload_max_fileparts_premium", f.uploadMaxPartsPremium),
        ],
      });
      // layer 144 (Telethon 1.25) answers the bare JSON value; newer layers wrap it with a hash
      return A.help?.AppConfig ? new A.help.AppConfig({ hash: 1, config }) : config;
    },
  };
}
