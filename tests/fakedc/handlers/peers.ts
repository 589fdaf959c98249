/** Users, usernames, channels and the always-on basics (config, nearest DC, updates state). */
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WChat } from "../world/types.ts";
import { chatPeer, chatToTl, messageToTl, peersFor, peerToTl, userToTl } from "../world/to_tl.ts";
import { big, photoToTl } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";
import { helpConfig } from "../help_config.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

/** Handlers for help.*, users.*, contacts.resolveUsername and channels.* lookups. */
export function peerHandlers(env: HandlerEnv, dcId: number): HandlerMap {
  const user = (q: Req, ctx: RpcContext) => {
    const c = env.chat(q, env.me(ctx));
    if (c.kind !== "private" || !env.world.users.has(c.id)) throw new RpcError(400, "USER_ID_INVALID");
    return env.world.users.get(c.id)!;
  };
  return {
    "help.GetConfig": (_q, ctx) =>
      helpConfig(ctx.L.Api, {
        nowMs: env.now(),
        thisDc: dcId,
        dcs: env.opts.dcs,
        webfileDcId: env.opts.homeDcId,
      }),
    "help.GetNearestDc": (_q, ctx) =>
      new ctx.L.Api.NearestDc({ country: "US", thisDc: dcId, nearestDc: env.opts.homeDcId }),
    "users.GetUsers": (q: Req, ctx) =>
      (q.id ?? []).map((iu: Req) => {
        try {
          return userToTl(env.tl(ctx), user(iu, ctx));
        } catch {
          return new ctx.L.Api.UserEmpty({ id: big(BigInt(iu.userId?.toString() ?? "0")) });
        }
      }),
    "users.GetFullUser": (q: Req, ctx) => {
      const A = ctx.L.Api, u = user(q.id, ctx), t = env.tl(ctx);
      return new A.users.UserFull({
        fullUser: new A.UserFull({
          id: big(u.id),
          about: u.about,
          settings: new A.PeerSettings({}),
          notifySettings: new A.PeerNotifySettings({}),
          commonChatsCount: 0,
        }),
        chats: [],
        users: [userToTl(t, u)],
      });
    },
    "contacts.ResolveUsername": (q: Req, ctx) => {
      const name = String(q.username ?? "").replace(/^@/, "");
      if (!/^[a-zA-Z][a-zA-Z0-9_]{2,31}$/.test(name)) throw new RpcError(400, "USERNAME_INVALID");
      const A = ctx.L.Api, t = env.tl(ctx), lc = name.toLowerCase();
      const u = [...env.world.users.values()].find((x) => x.username?.toLowerCase() === lc);
      if (u) {
        return new A.contacts.ResolvedPeer({
          peer: peerToTl(t, { kind: "user", id: u.id }),
          chats: [],
          users: [userToTl(t, u)],
        });
      }
      const c = [...env.world.chats.values()].find((x) =>
        x.kind !== "private" && x.username?.toLowerCase() === lc
      );
      if (!c) throw new RpcError(400, "USERNAME_NOT_OCCUPIED");
      return new A.contacts.ResolvedPeer({
        peer: peerToTl(t, chatPeer(c)),
        chats: [chatToTl(t, c)],
        users: [],
      });
    },
    "channels.GetChannels": (q: Req, ctx) => {
      const t = env.tl(ctx), me = env.me(ctx);
      return new ctx.L.Api.messages.Chats({
        chats: (q.id ?? []).map((ic: Req) => chatToTl(t, env.channel(ic, me))),
      });
    },
    "channels.GetFullChannel": (q: Req, ctx) => _fullChannel(env, ctx, env.channel(q.channel, env.me(ctx))),
    "messages.GetFullChat": (q: Req, ctx) => {
      const c = env.world.chats.get(`chat:${q.chatId}`);
      if (!c) throw new RpcError(400, "CHAT_ID_INVALID");
      const A = ctx.L.Api, t = env.tl(ctx);
      const participants = new A.ChatParticipants({
        chatId: big(c.id),
        participants: c.participants.map((id) =>
          new A.ChatParticipant({ userId: big(id), inviterId: big(id), date: c.date })
        ),
        version: 1,
      });
      const { users } = peersFor(t, [{ chat: c, msgs: [] }]);
      const full = new A.ChatFull({
        id: big(c.id),
        about: c.about ?? "",
        chatPhoto: c.photo ? photoToTl(t, c.photo) : undefined,
        participants,
        notifySettings: new A.PeerNotifySettings({}),
        botInfo: [],
      });
      return new A.messages.ChatFull({ fullChat: full, chats: [chatToTl(t, c)], users });
    },
    "channels.GetForumTopics": (q: Req, ctx) => _topics(env, ctx, q),
  };
}

function _fullChannel(env: HandlerEnv, ctx: RpcContext, c: WChat) {
  const A = ctx.L.Api, t = env.tl(ctx), top = c.messages.at(-1)?.id ?? 0;
  const full = new A.ChannelFull({
    id: big(c.id),
    about: c.about ?? "",
    participantsCount: c.participants.length,
    readInboxMaxId: top,
    readOutboxMaxId: top,
    unreadCount: 0,
    chatPhoto: c.photo ? photoToTl(t, c.photo) : new A.PhotoEmpty({ id: big(0) }),
    notifySettings: new A.PeerNotifySettings({}),
    botInfo: [],
    pts: top || 1,
    linkedChatId: c.linkedChatId !== undefined ? big(c.linkedChatId) : undefined,
  });
  const linked = c.linkedChatId !== undefined ? env.world.chats.get(`channel:${c.linkedChatId}`) : undefined;
  const chats = [chatToTl(t, c), ...(linked ? [chatToTl(t, linked)] : [])];
  return new A.messages.ChatFull({ fullChat: full, chats, users: [] });
}

function _topics(env: HandlerEnv, ctx: RpcContext, q: Req) {
  const c = env.channel(q.channel, env.me(ctx));
  if (c.kind !== "forum") throw new RpcError(400, "CHANNEL_FORUM_MISSING");
  const A = ctx.L.Api, t = env.tl(ctx);
  const text = String(q.q ?? "").toLowerCase();
  const all = (c.topics ?? []).filter((x) => !text || x.title.toLowerCase().includes(text)).reverse();
  const start = q.offsetTopic ? all.findIndex((x) => x.id < q.offsetTopic) : 0;
  const page = all.slice(
    start < 0 ? all.length : start,
    (start < 0 ? all.length : start) + Math.min(q.limit || 100, 100),
  );
  const tops = page.map((tp) => c.messages.findLast((m) => m.topicId === tp.id)!);
  const topics = page.map((tp, i) =>
    new A.ForumTopic({
      id: tp.id,
      date: tp.date,
      title: tp.title,
      iconColor: tp.iconColor,
      topMessage: tops[i].id,
      readInboxMaxId: tops[i].id,
      readOutboxMaxId: tops[i].id,
      unreadCount: 0,
      unreadMentionsCount: 0,
      unreadReactionsCount: 0,
      fromId: new A.PeerUser({ userId: big(env.world.selfUserId) }),
      notifySettings: new A.PeerNotifySettings({}),
    })
  );
  const { users, chats } = peersFor(t, [{ chat: c, msgs: tops }]);
  return new A.messages.ForumTopics({
    count: all.length,
    topics,
    messages: tops.map((m) => messageToTl(t, c, m)),
    chats,
    users,
    pts: c.messages.at(-1)?.id ?? 1,
  });
}
