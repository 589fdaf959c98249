/**
 * messages.editMessage, strict like Telegram: the message must exist in that chat
 * (MESSAGE_ID_INVALID), be the caller's own and not a forward (MESSAGE_AUTHOR_REQUIRED; the world
 * gives the self user no admin rights, so channel posts are never its own), and change something
 * (MESSAGE_NOT_MODIFIED).
 */
import type { HandlerMap } from "../contract.ts";
import { RpcError } from "../contract.ts";
import { messageToTl, peersFor } from "../world/to_tl.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** Editing handlers. */
export function editHandlers(env: HandlerEnv): HandlerMap {
  return {
    "messages.EditMessage": (q: Req, ctx) => {
      const me = env.me(ctx);
      const chat = env.chat(q.peer, me);
      const m = chat.messages.find((x) => x.id === q.id);
      if (!m || m.action) throw new RpcError(400, "MESSAGE_ID_INVALID");
      const own = m.from?.kind === "user" && m.from.id === me && !m.fwd;
      if (!own) throw new RpcError(403, "MESSAGE_AUTHOR_REQUIRED");
      if (q.media) throw new RpcError(400, "MEDIA_INVALID");
      if (q.message === undefined) throw new RpcError(400, "MESSAGE_NOT_MODIFIED");
      const text = String(q.message);
      if (!text.trim() && !m.media) throw new RpcError(400, "MESSAGE_EMPTY");
      if (text.length > (m.media ? 1024 : 4096)) throw new RpcError(400, "MESSAGE_TOO_LONG");
      if (text === m.text) throw new RpcError(400, "MESSAGE_NOT_MODIFIED");
      m.text = text;
      m.entities = [];
      m.editDate = Math.floor(env.now() / 1000);
      const A = ctx.L.Api, t = env.tl(ctx);
      const msg = messageToTl(t, chat, m);
      const { users, chats } = peersFor(t, [{ chat, msgs: [m] }]);
      const common = chat.kind === "private" || chat.kind === "group";
      const upd = common
        ? new A.UpdateEditMessage({ message: msg, pts: m.id, ptsCount: 1 })
        : new A.UpdateEditChannelMessage({ message: msg, pts: m.id, ptsCount: 1 });
      return new A.Updates({ updates: [upd], users, chats, date: m.editDate, seq: 0 });
    },
  };
}
