/**
 * History pages as GramJS objects for fast_history_test.ts and the tldecode bench: a seeded
 * generator that draws every field map_message.ts and map_media.ts read (and fields they skip) in
 * random combinations, a hand-made page that must take GramJS's path (an id beyond 2^53), and a
 * generated world's chats paged as the fake DC answers getHistory.
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import type { ChatRef } from "../../lib/telegram/media_messages.ts";
import { messageToTl, peersFor, type TlEnv } from "../fakedc/world/to_tl.ts";
import type { WChat, World } from "../fakedc/world/types.ts";
import {
  chance,
  CHANNELS,
  CHATS,
  int,
  pick,
  randomPeer as _peer,
  type Rng,
  TEXTS,
  USERS,
} from "./_history_random.ts";
import { randomMedia as _media, randomPhoto as _photo } from "./_history_media.ts";

export { rngOf } from "./_history_random.ts";

function _entities(r: Rng): Api.TypeMessageEntity[] {
  const out: Api.TypeMessageEntity[] = [];
  for (let i = int(r, 0, 6); i > 0; i--) {
    const range = { offset: int(r, 0, 50), length: int(r, 1, 20) };
    const k = int(r, 0, 22);
    const plain = [
      Api.MessageEntityBold,
      Api.MessageEntityItalic,
      Api.MessageEntityUnderline,
      Api.MessageEntityStrike,
      Api.MessageEntitySpoiler,
      Api.MessageEntityCode,
      Api.MessageEntityMention,
      Api.MessageEntityHashtag,
      Api.MessageEntityCashtag,
      Api.MessageEntityBotCommand,
      Api.MessageEntityUrl,
      Api.MessageEntityEmail,
      Api.MessageEntityPhone,
      Api.MessageEntityUnknown,
      Api.MessageEntityBankCard,
    ];
    if (k < plain.length) out.push(new plain[k](range));
    else if (k === 15) {
      out.push(new Api.MessageEntityPre({ ...range, language: pick(r, ["", "ts", "python"]) }));
    } else if (k === 16) {
      out.push(new Api.MessageEntityTextUrl({ ...range, url: "https://example.org/?q=ä" }));
    } else if (k === 17) {
      out.push(new Api.MessageEntityMentionName({ ...range, userId: bigInt(pick(r, USERS)) }));
    } else if (k === 18) {
      out.push(new Api.MessageEntityBlockquote({ ...range, collapsed: chance(r, 0.5) || undefined }));
    } else if (k === 19) {
      out.push(new Api.MessageEntityCustomEmoji({ ...range, documentId: bigInt("5312536423851630001") }));
    } else if (k === 20) {
      out.push(
        new Api.InputMessageEntityMentionName({
          ...range,
          userId: new Api.InputUser({ userId: bigInt(5), accessHash: bigInt(6) }),
        }),
      );
    } else out.push(new Api.MessageEntityBold(range));
  }
  return out;
}

function _reply(r: Rng): Api.TypeMessageReplyHeader | undefined {
  if (chance(r, 0.5)) return undefined;
  if (chance(r, 0.05)) return new Api.MessageReplyStoryHeader({ peer: _peer(r), storyId: 3 });
  const top = chance(r, 0.5) ? int(r, 1, 30) : undefined;
  return new Api.MessageReplyHeader({
    forumTopic: chance(r, 0.4) || undefined,
    replyToMsgId: chance(r, 0.9) ? pick(r, [int(r, 1, 30), top ?? 1]) : undefined,
    replyToTopId: top,
    replyToPeerId: chance(r, 0.15) ? _peer(r) : undefined,
    quote: chance(r, 0.1) || undefined,
    quoteText: chance(r, 0.2) ? pick(r, ["", "quoted"]) : undefined,
    quoteEntities: chance(r, 0.1) ? _entities(r) : undefined,
    replyMedia: chance(r, 0.05) ? new Api.MessageMediaDice({ value: 1, emoticon: "🎯" }) : undefined,
  });
}

function _forward(r: Rng): Api.MessageFwdHeader | undefined {
  if (chance(r, 0.75)) return undefined;
  const saved = chance(r, 0.2);
  return new Api.MessageFwdHeader({
    fromId: chance(r, 0.7) ? _peer(r) : undefined,
    fromName: chance(r, 0.3) ? pick(r, ["", "Hidden User"]) : undefined,
    date: 1600000000 + int(r, 0, 1e6),
    channelPost: chance(r, 0.3) ? int(r, 0, 500) : undefined,
    postAuthor: chance(r, 0.3) ? pick(r, ["", "Editor"]) : undefined,
    savedFromPeer: saved ? _peer(r) : undefined,
    savedFromMsgId: saved ? 4 : undefined,
    psaType: chance(r, 0.05) ? "covid" : undefined,
  });
}

function _reactions(r: Rng): Api.MessageReactions | undefined {
  if (chance(r, 0.7)) return undefined;
  const results: Api.ReactionCount[] = [];
  for (let i = int(r, 0, 4); i > 0; i--) {
    const k = int(r, 0, 3);
    const reaction = k === 0
      ? new Api.ReactionEmoji({ emoticon: pick(r, ["👍", "❤", "🔥"]) })
      : k === 1
      ? new Api.ReactionCustomEmoji({ documentId: bigInt("5368324170671202286") })
      : k === 2
      ? new Api.ReactionPaid()
      : new Api.ReactionEmpty();
    results.push(
      new Api.ReactionCount({ reaction, count: int(r, 0, 99), chosenOrder: chance(r, 0.2) ? 1 : undefined }),
    );
  }
  return new Api.MessageReactions({ min: chance(r, 0.2) || undefined, results });
}

function _message(r: Rng, id: number, peerId: Api.TypePeer): Api.TypeMessage {
  if (chance(r, 0.03)) return new Api.MessageEmpty({ id, peerId: chance(r, 0.5) ? peerId : undefined });
  if (chance(r, 0.15)) return _service(r, id, peerId);
  const views = chance(r, 0.4) ? int(r, 0, 1e6) : undefined;
  const comments = chance(r, 0.15);
  return new Api.Message({
    out: chance(r, 0.2) || undefined,
    post: chance(r, 0.3) || undefined,
    pinned: chance(r, 0.05) || undefined,
    id,
    fromId: chance(r, 0.6) ? _peer(r) : undefined,
    peerId,
    fwdFrom: _forward(r),
    viaBotId: chance(r, 0.05) ? bigInt(pick(r, [3000000, 101])) : undefined,
    replyTo: _reply(r),
    date: 1700000000 + id * 60,
    message: pick(r, TEXTS),
    media: chance(r, 0.5) ? _media(r) : undefined,
    replyMarkup: chance(r, 0.05)
      ? new Api.ReplyKeyboardMarkup({
        rows: [new Api.KeyboardButtonRow({ buttons: [new Api.KeyboardButton({ text: "ok" })] })],
      })
      : undefined,
    entities: chance(r, 0.6) ? _entities(r) : undefined,
    views,
    forwards: views !== undefined ? int(r, 0, 99) : undefined,
    replies: chance(r, 0.25)
      ? new Api.MessageReplies({
        comments: comments || undefined,
        replies: int(r, 0, 50),
        repliesPts: 1,
        channelId: comments ? bigInt(pick(r, CHANNELS)) : undefined,
        maxId: chance(r, 0.5) ? 7 : undefined,
      })
      : undefined,
    editDate: chance(r, 0.2) ? pick(r, [0, 1700009999]) : undefined,
    postAuthor: chance(r, 0.1) ? pick(r, ["", "Anna"]) : undefined,
    groupedId: chance(r, 0.15) ? bigInt(pick(r, ["13582398402838", "9223372036854775807"])) : undefined,
    reactions: _reactions(r),
    restrictionReason: chance(r, 0.03)
      ? [new Api.RestrictionReason({ platform: "all", reason: "porn", text: "x" })]
      : undefined,
    ttlPeriod: chance(r, 0.03) ? 86400 : undefined,
    // newer than GramJS's typings, but in its schema
    ...({ effect: chance(r, 0.03) ? bigInt(5) : undefined } as object),
  });
}

function _users(r: Rng): Api.TypeUser[] {
  return USERS.filter(() => chance(r, 0.8)).map((id) =>
    chance(r, 0.1) ? new Api.UserEmpty({ id: bigInt(id) }) : new Api.User({
      id: bigInt(id),
      accessHash: chance(r, 0.9) ? bigInt(id * 7) : undefined,
      firstName: chance(r, 0.9) ? pick(r, ["", "Alice", "Боб"]) : undefined,
      lastName: chance(r, 0.5) ? pick(r, ["", "Smith"]) : undefined,
      username: chance(r, 0.5) ? pick(r, ["", `user${id}`]) : undefined,
      phone: chance(r, 0.3) ? "15550000" : undefined,
      status: chance(r, 0.5) ? new Api.UserStatusRecently({}) : undefined,
      usernames: chance(r, 0.1) ? [new Api.Username({ username: "alt", active: true })] : undefined,
    })
  ).concat(
    chance(r, 0.5)
      ? [
        new Api.User({
          id: bigInt(3000000),
          firstName: "Gif",
          username: "gif",
          bot: true,
          botInfoVersion: 1,
        }),
      ]
      : [],
  );
}

function _chats(r: Rng): Api.TypeChat[] {
  const out: Api.TypeChat[] = [];
  for (const id of CHANNELS) {
    const k = int(r, 0, 3);
    if (k === 0) continue;
    if (k === 3) out.push(new Api.ChannelForbidden({ id: bigInt(id), accessHash: bigInt(1), title: "Gone" }));
    else {
      out.push(
        new Api.Channel({
          megagroup: chance(r, 0.5) || undefined,
          id: bigInt(id),
          accessHash: bigInt(id * 3),
          title: pick(r, ["", "News", "Группа"]),
          username: chance(r, 0.5) ? pick(r, ["", "news"]) : undefined,
          photo: new Api.ChatPhotoEmpty(),
          date: 1600000000,
        }),
      );
    }
  }
  for (const id of CHATS) {
    const k = int(r, 0, 3);
    if (k === 1) {
      out.push(
        new Api.Chat({
          id: bigInt(id),
          title: pick(r, ["", "Friends"]),
          photo: new Api.ChatPhotoEmpty(),
          participantsCount: 3,
          date: 1600000000,
          version: 1,
        }),
      );
    } else if (k === 2) out.push(new Api.ChatForbidden({ id: bigInt(id), title: "Old" }));
    else if (k === 3) out.push(new Api.ChatEmpty({ id: bigInt(id) }));
  }
  return out;
}

/** A random page of `n` messages in one of the three page shapes. */
export function randomPage(r: Rng, n: number): Api.messages.TypeMessages {
  const peerId = _peer(r);
  const messages = Array.from({ length: n }, (_, i) => _message(r, n - i, peerId));
  const chats = _chats(r), users = _users(r);
  const k = int(r, 0, 2);
  if (k === 0) return new Api.messages.Messages({ messages, chats, users });
  if (k === 1) {
    return new Api.messages.MessagesSlice({
      inexact: chance(r, 0.3) || undefined,
      count: n + 10,
      nextRate: chance(r, 0.3) ? 5 : undefined,
      offsetIdOffset: chance(r, 0.3) ? 2 : undefined,
      messages,
      chats,
      users,
    });
  }
  return new Api.messages.ChannelMessages({
    pts: 5,
    count: n,
    offsetIdOffset: chance(r, 0.3) ? 1 : undefined,
    messages,
    topics: [],
    chats,
    users,
  });
}

/**
 * The fake DC's TL environment for `world` outside a server (layer 198, answers for the world's
 * own user, every file on DC 2, no comment threads), with `overrides` on top.
 */
export function worldTlEnv(world: World, overrides: Partial<TlEnv> = {}): TlEnv {
  return {
    A: Api,
    layer: 198,
    world,
    me: world.selfUserId,
    fileDc: () => 2,
    fileRef: () => Buffer.from("0102030405060708", "hex"),
    thread: () => ({ count: 0, maxId: 0 }),
    ...overrides,
  };
}

/** The ChatRef tgpipe maps a generated channel's pages with. */
export function worldChatRef(chat: WChat): ChatRef {
  return { id: Number(chat.id), kind: "channel", title: chat.title, peer: `channel:${chat.id}:1` };
}

/** The bytes of `chat`'s history as the fake DC answers it: ChannelMessages of 100 messages, oldest first. */
export function worldChatPages(env: TlEnv, chat: WChat): Buffer[] {
  const pages: Buffer[] = [];
  for (let i = 0; i < chat.messages.length; i += 100) {
    const msgs = chat.messages.slice(i, i + 100);
    const { users, chats } = peersFor(env, [{ chat, msgs }]);
    const messages = msgs.map((m) => messageToTl(env, chat, m));
    const count = chat.messages.length;
    pages.push(
      new Api.messages.ChannelMessages({ pts: 1, count, messages, chats, users, topics: [] }).getBytes(),
    );
  }
  return pages;
}

/** A page whose author has an id beyond 2^53: the fast decoder leaves it to GramJS. */
export function hugeIdPage(): Api.messages.TypeMessages {
  const peerId = new Api.PeerChannel({ channelId: bigInt(CHANNELS[0]) });
  return new Api.messages.Messages({
    messages: [
      new Api.Message({ id: 2, peerId, date: 1700000100, message: "before" }),
      new Api.Message({
        id: 3,
        peerId,
        fromId: new Api.PeerUser({ userId: bigInt("1152921504606846977") }),
        date: 1700000200,
        message: "from a 61-bit id",
      }),
    ],
    chats: [],
    users: [new Api.User({ id: bigInt("1152921504606846977"), firstName: "Far" })],
  });
}

function _action(r: Rng): Api.TypeMessageAction {
  const users = () => USERS.filter(() => chance(r, 0.4)).map((u) => bigInt(u));
  const call = new Api.InputGroupCall({ id: bigInt(1), accessHash: bigInt(2) });
  const reason = pick(r, [
    undefined,
    new Api.PhoneCallDiscardReasonBusy(),
    new Api.PhoneCallDiscardReasonMissed(),
    new Api.PhoneCallDiscardReasonHangup(),
    new Api.PhoneCallDiscardReasonDisconnect(),
    new Api.PhoneCallDiscardReasonAllowGroupCall({ encryptedKey: Buffer.from([1]) }),
  ]);
  const bool = () => pick(r, [undefined, true, false]);
  const all: Array<() => Api.TypeMessageAction> = [
    () => new Api.MessageActionChatCreate({ title: "G", users: users() }),
    () => new Api.MessageActionChannelCreate({ title: pick(r, ["", "C"]) }),
    () => new Api.MessageActionChatEditTitle({ title: "T" }),
    () => new Api.MessageActionChatEditPhoto({ photo: _photo(r) }),
    () => new Api.MessageActionChatDeletePhoto(),
    () => new Api.MessageActionSuggestProfilePhoto({ photo: _photo(r) }),
    () => new Api.MessageActionChatAddUser({ users: users() }),
    () => new Api.MessageActionChatDeleteUser({ userId: bigInt(pick(r, USERS)) }),
    () => new Api.MessageActionChatJoinedByLink({ inviterId: bigInt(pick(r, [0, ...USERS])) }),
    () => new Api.MessageActionChatJoinedByRequest(),
    () => new Api.MessageActionChatMigrateTo({ channelId: bigInt(CHANNELS[0]) }),
    () => new Api.MessageActionChannelMigrateFrom({ title: "Old", chatId: bigInt(CHATS[0]) }),
    () => new Api.MessageActionPinMessage(),
    () => new Api.MessageActionHistoryClear(),
    () =>
      new Api.MessageActionPhoneCall({
        video: chance(r, 0.5) || undefined,
        callId: bigInt(5),
        reason,
        duration: chance(r, 0.5) ? int(r, 0, 600) : undefined,
      }),
    () => new Api.MessageActionContactSignUp(),
    () => new Api.MessageActionSetChatTheme({ emoticon: pick(r, ["", "🌸"]) }),
    () => new Api.MessageActionInviteToGroupCall({ call, users: users() }),
    () => new Api.MessageActionCustomAction({ message: "did a thing" }),
    () => new Api.MessageActionGroupCall({ call, duration: chance(r, 0.5) ? int(r, 0, 99) : undefined }),
    () =>
      new Api.MessageActionTopicCreate({
        title: "Topic",
        iconColor: 1,
        iconEmojiId: chance(r, 0.5) ? bigInt(9) : undefined,
      }),
    () =>
      new Api.MessageActionTopicEdit({
        title: chance(r, 0.5) ? pick(r, ["", "New"]) : undefined,
        iconEmojiId: chance(r, 0.5) ? bigInt(pick(r, [0, 5312536423851630])) : undefined,
        closed: bool(),
        hidden: bool(),
      }),
    () => new Api.MessageActionScreenshotTaken(),
    () =>
      new Api.MessageActionSetMessagesTTL({
        period: 86400,
        autoSettingFrom: chance(r, 0.5) ? bigInt(101) : undefined,
      }),
    () => new Api.MessageActionGameScore({ gameId: bigInt(1), score: 10 }),
    () => new Api.MessageActionBoostApply({ boosts: 2 }),
    () => new Api.MessageActionEmpty(),
  ];
  return pick(r, all)();
}

function _service(r: Rng, id: number, peerId: Api.TypePeer): Api.MessageService {
  return new Api.MessageService({
    out: chance(r, 0.2) || undefined,
    post: chance(r, 0.3) || undefined,
    id,
    fromId: chance(r, 0.7) ? _peer(r) : undefined,
    peerId,
    replyTo: _reply(r),
    date: 1700000000 + id * 60,
    action: _action(r),
    reactions: _reactions(r),
    ttlPeriod: chance(r, 0.05) ? 60 : undefined,
  });
}
