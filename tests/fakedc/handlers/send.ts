/**
 * messages.sendMessage / sendMedia / sendMultiMedia / uploadMedia: uploads become real photos
 * and documents. Like Telegram: a random_id already used by this user is RANDOM_ID_DUPLICATE,
 * a broadcast channel the user does not admin is CHAT_WRITE_FORBIDDEN, and an album takes only
 * media already uploaded (messages.uploadMedia), 2 to 10 of them.
 */
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WChat, WDocAttrs, WEntity, WMedia, WMessage } from "../world/types.ts";
import { WorldBuilder } from "../world/builder.ts";
import { chatPeer, messageToTl, peersFor } from "../world/to_tl.ts";
import { mediaToTl } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";
import type { Uploads } from "./uploads.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

const ENTITY: Record<string, WEntity["type"]> = {
  MessageEntityBold: "bold",
  MessageEntityItalic: "italic",
  MessageEntityUnderline: "underline",
  MessageEntityStrike: "strikethrough",
  MessageEntitySpoiler: "spoiler",
  MessageEntityCode: "code",
  MessageEntityPre: "pre",
  MessageEntityUrl: "link",
  MessageEntityTextUrl: "text_link",
  MessageEntityMention: "mention",
  MessageEntityMentionName: "mention_name",
  InputMessageEntityMentionName: "mention_name",
  MessageEntityHashtag: "hashtag",
  MessageEntityCashtag: "cashtag",
  MessageEntityBotCommand: "bot_command",
  MessageEntityEmail: "email",
  MessageEntityPhone: "phone",
  MessageEntityBlockquote: "blockquote",
  MessageEntityCustomEmoji: "custom_emoji",
  MessageEntityBankCard: "bank_card",
};

/** World entities of a request's MessageEntity list. */
export function entitiesOf(list: Req[] | undefined): WEntity[] {
  return (list ?? []).map((e) => ({
    type: ENTITY[e.className] ?? "unknown",
    offset: e.offset,
    length: e.length,
    language: e.language,
    url: e.url,
    userId: e.userId?.userId !== undefined
      ? BigInt(e.userId.userId.toString())
      : e.userId !== undefined
      ? BigInt(e.userId.toString())
      : undefined,
    documentId: e.documentId !== undefined ? BigInt(e.documentId.toString()) : undefined,
  }));
}

function _attrs(list: Req[]): WDocAttrs {
  const a: WDocAttrs = {};
  for (const x of list ?? []) {
    if (x.className === "DocumentAttributeFilename") a.fileName = x.fileName;
    if (x.className === "DocumentAttributeVideo") {
      a.video = {
        w: x.w,
        h: x.h,
        duration: x.duration,
        round: x.roundMessage || undefined,
        supportsStreaming: x.supportsStreaming || undefined,
      };
    }
    if (x.className === "DocumentAttributeAudio") {
      a.audio = { duration: x.duration, voice: x.voice || undefined, title: x.title, performer: x.performer };
    }
    if (x.className === "DocumentAttributeSticker") a.sticker = { alt: x.alt };
    if (x.className === "DocumentAttributeAnimated") a.animated = true;
    if (x.className === "DocumentAttributeImageSize") a.imageSize = { w: x.w, h: x.h };
  }
  return a;
}

/** Turns an InputMedia of `me` (uploaded parts or an existing file) into world media. */
export function mediaMaker(env: HandlerEnv, uploads: Uploads): (m: Req, me: bigint) => WMedia {
  const b = new WorldBuilder(env.world.seed);
  // The builder only allocates ids and files here; reuse the live world instead of its fresh one.
  Object.assign(b, { world: env.world });
  const date = () => Math.floor(env.now() / 1000);
  return (m: Req, me: bigint): WMedia => {
    const newId = () => env.world.nextFileId++;
    switch (m?.className) {
      case "InputMediaUploadedPhoto": {
        const blob = uploads.take(me, m.file, newId);
        return { kind: "photo", photo: b.photo(date(), 1280, 720, blob) };
      }
      case "InputMediaUploadedDocument": {
        const blob = uploads.take(me, m.file, newId);
        const thumb = m.thumb
          ? { type: "m", w: 90, h: 90, blob: uploads.take(me, m.thumb, newId) }
          : undefined;
        return {
          kind: "document",
          doc: b.document(
            date(),
            m.mimeType || "application/octet-stream",
            blob,
            _attrs(m.attributes),
            thumb,
          ),
        };
      }
      case "InputMediaDocument":
      case "InputMediaPhoto": {
        const f = env.world.files.get(BigInt(m.id?.id?.toString() ?? "0"));
        if (!f || f.accessHash !== BigInt(m.id.accessHash.toString())) {
          throw new RpcError(400, "MEDIA_INVALID");
        }
        return f.kind === "photo" ? { kind: "photo", photo: f } : { kind: "document", doc: f };
      }
    }
    throw new RpcError(400, "MEDIA_INVALID");
  };
}

/** Sending handlers. */
export function sendHandlers(env: HandlerEnv, uploads: Uploads): HandlerMap {
  const date = () => Math.floor(env.now() / 1000);
  // random_ids of messages each user has sent: a repeated one is refused (a retried send posts
  // once); an id whose send failed (a missing part) is not used up
  const used = new Set<string>();
  const checkRandomId = (me: bigint, randomId: unknown) => {
    if (randomId !== undefined && randomId !== null && used.has(`${me}:${String(randomId)}`)) {
      throw new RpcError(400, "RANDOM_ID_DUPLICATE");
    }
  };
  const target = (peer: Req, me: bigint): WChat => {
    const chat = env.chat(peer, me);
    if (chat.kind === "channel" && !(chat.admins ?? []).includes(me)) {
      throw new RpcError(403, "CHAT_WRITE_FORBIDDEN");
    }
    return chat;
  };
  const toMedia = mediaMaker(env, uploads);
  const send = (q: Req, ctx: RpcContext, media?: WMedia, groupedId?: bigint) => {
    const me = env.me(ctx);
    let chat: WChat = target(q.peer, me);
    if (!env.world.chats.has(`${chatPeer(chat).kind}:${chat.id}`)) {
      env.world.chats.set(`user:${chat.id}`, chat);
    }
    chat = env.world.chats.get(`${chatPeer(chat).kind}:${chat.id}`)!;
    const common = chat.kind === "private" || chat.kind === "group";
    const id = common ? env.world.nextCommonId++ : (chat.messages.at(-1)?.id ?? 0) + 1;
    const replyTo = q.replyTo?.replyToMsgId ?? q.replyToMsgId;
    const m: WMessage = {
      id,
      date: date(),
      text: String(q.message ?? ""),
      entities: entitiesOf(q.entities),
      media,
      from: chat.kind === "channel" ? undefined : { kind: "user", id: me },
      postedBy: me,
      post: chat.kind === "channel" || undefined,
      reply: replyTo ? { msgId: replyTo } : undefined,
      groupedId,
    };
    chat.messages.push(m);
    if (q.randomId !== undefined && q.randomId !== null) used.add(`${me}:${String(q.randomId)}`);
    const A = ctx.L.Api, t = env.tl(ctx);
    const msg = messageToTl(t, chat, m);
    const { users, chats } = peersFor(t, [{ chat, msgs: [m] }]);
    const upd = common
      ? new A.UpdateNewMessage({ message: msg, pts: id, ptsCount: 1 })
      : new A.UpdateNewChannelMessage({ message: msg, pts: id, ptsCount: 1 });
    return new A.Updates({
      updates: [new A.UpdateMessageID({ id, randomId: q.randomId }), upd],
      users,
      chats,
      date: m.date,
      seq: 0,
    });
  };
  return {
    "messages.SendMessage": (q: Req, ctx) => {
      const text = String(q.message ?? "");
      if (!text.trim()) throw new RpcError(400, "MESSAGE_EMPTY");
      if (text.length > 4096) throw new RpcError(400, "MESSAGE_TOO_LONG");
      target(q.peer, env.me(ctx));
      checkRandomId(env.me(ctx), q.randomId);
      return send(q, ctx);
    },
    "messages.SendMedia": (q: Req, ctx) => {
      if (String(q.message ?? "").length > 1024) throw new RpcError(400, "MEDIA_CAPTION_TOO_LONG");
      target(q.peer, env.me(ctx));
      checkRandomId(env.me(ctx), q.randomId);
      return send(q, ctx, toMedia(q.media, env.me(ctx)));
    },
    "messages.SendMultiMedia": (q: Req, ctx) => {
      const me = env.me(ctx);
      const list: Req[] = q.multiMedia ?? [];
      if (list.length < 1 || list.length > 10) throw new RpcError(400, "MULTI_MEDIA_TOO_LONG");
      target(q.peer, me);
      for (const one of list) {
        if (String(one.message ?? "").length > 1024) throw new RpcError(400, "MEDIA_CAPTION_TOO_LONG");
        // an album takes only files already turned into media by messages.uploadMedia
        if (!/^InputMedia(Photo|Document)$/.test(one.media?.className ?? "")) {
          throw new RpcError(400, "MEDIA_INVALID");
        }
      }
      const ids = list.map((one) => String(one.randomId));
      if (new Set(ids).size !== ids.length) throw new RpcError(400, "RANDOM_ID_DUPLICATE");
      for (const one of list) checkRandomId(me, one.randomId);
      // every media is checked before the first message exists: an album is sent whole or not at all
      const media = list.map((one) => toMedia(one.media, me));
      const groupedId = env.world.nextFileId++;
      const all = list.map((one, i) =>
        send({ ...one, peer: q.peer, replyTo: q.replyTo }, ctx, media[i], groupedId)
      );
      const A = ctx.L.Api;
      return new A.Updates({
        updates: all.flatMap((u) => u.updates),
        users: all[0].users,
        chats: all[0].chats,
        date: all[0].date,
        seq: 0,
      });
    },
    "messages.UploadMedia": (q: Req, ctx) => {
      target(q.peer, env.me(ctx));
      return mediaToTl(env.tl(ctx), toMedia(q.media, env.me(ctx)));
    },
  };
}
