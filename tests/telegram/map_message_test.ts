import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import readerModule from "telegram/extensions/BinaryReader.js";
import { mapMessage, peerNames } from "../../lib/telegram/map_message.ts";
import { decodeMediaRef } from "../../lib/telegram/map_media.ts";

const alice = new Api.User({ id: bigInt(11), firstName: "Alice", lastName: "A", username: "alice" });
const chan = new Api.Channel({
  id: bigInt(500),
  title: "News",
  photo: new Api.ChatPhotoEmpty(),
  date: 0,
  megagroup: true,
});
const names = peerNames([alice], [chan]);

Deno.test("mapMessage maps text, entities, author, forum reply and forward", () => {
  const m = mapMessage(
    new Api.Message({
      id: 42,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      fromId: new Api.PeerUser({ userId: bigInt(11) }),
      date: 1700000000,
      editDate: 1700000100,
      message: "bold link code",
      entities: [
        new Api.MessageEntityBold({ offset: 0, length: 4 }),
        new Api.MessageEntityTextUrl({ offset: 5, length: 4, url: "https://example.org" }),
        new Api.MessageEntityPre({ offset: 10, length: 4, language: "ts" }),
        new Api.MessageEntityMentionName({ offset: 0, length: 4, userId: bigInt(11) }),
      ],
      replyTo: new Api.MessageReplyHeader({ forumTopic: true, replyToMsgId: 40, replyToTopId: 7 }),
      fwdFrom: new Api.MessageFwdHeader({ date: 1600000000, fromName: "Someone", channelPost: 9 }),
      groupedId: bigInt("9007199254740993"),
    }),
    names,
  );
  assert.deepEqual(m, {
    id: 42,
    chat_id: 500,
    date: 1700000000,
    edit_date: 1700000100,
    text: "bold link code",
    entities: [
      { offset: 0, length: 4, type: "bold" },
      { offset: 5, length: 4, type: "text_link", url: "https://example.org" },
      { offset: 10, length: 4, type: "pre", language: "ts" },
      { offset: 0, length: 4, type: "mention_name", user_id: 11 },
    ],
    author: { id: 11, kind: "user", name: "Alice A", username: "alice" },
    topic_id: 7,
    reply_to: { message_id: 40, topic_id: 7 },
    forward: { date: 1600000000, from_name: "Someone", channel_post: 9 },
    grouped_id: "9007199254740993",
  });
});

Deno.test("mapMessage maps a voice note with a ref that decodes back to its location", () => {
  const doc = new Api.Document({
    id: bigInt("1234567890123"),
    accessHash: bigInt("-55"),
    fileReference: Buffer.from([1, 2, 255]),
    date: 0,
    mimeType: "audio/ogg",
    size: bigInt(5000),
    dcId: 4,
    attributes: [new Api.DocumentAttributeAudio({ voice: true, duration: 3 })],
  });
  const m = mapMessage(
    new Api.Message({
      id: 1,
      peerId: new Api.PeerUser({ userId: bigInt(11) }),
      date: 1,
      message: "",
      media: new Api.MessageMediaDocument({ document: doc }),
    }),
    names,
  )!;
  assert.equal(m.media?.kind, "voice");
  assert.equal(m.media?.size, 5000);
  assert.equal(m.media?.duration, 3);
  assert.deepEqual(m.author, { id: 11, kind: "user", name: "Alice A", username: "alice" });
  assert.deepEqual(decodeMediaRef(m.media!.ref!), {
    type: "document",
    id: "1234567890123",
    accessHash: "-55",
    dcId: 4,
    thumbSize: "",
    fileReference: "0102ff",
  });
});

Deno.test("mapMessage maps photos to the largest size and service messages to actions", () => {
  const photo = new Api.Photo({
    id: bigInt(9),
    accessHash: bigInt(8),
    fileReference: Buffer.from([7]),
    date: 0,
    dcId: 2,
    sizes: [
      new Api.PhotoSize({ type: "m", w: 320, h: 240, size: 1000 }),
      new Api.PhotoSizeProgressive({ type: "y", w: 1280, h: 960, sizes: [100, 5000, 9000] }),
    ],
  });
  const p = mapMessage(
    new Api.Message({
      id: 2,
      peerId: new Api.PeerUser({ userId: bigInt(11) }),
      date: 1,
      message: "pic",
      media: new Api.MessageMediaPhoto({ photo }),
    }),
  )!;
  assert.deepEqual(
    {
      kind: p.media?.kind,
      size: p.media?.size,
      w: p.media?.width,
      ref: decodeMediaRef(p.media!.ref!).thumbSize,
    },
    { kind: "photo", size: 9000, w: 1280, ref: "y" },
  );
  const s = mapMessage(
    new Api.MessageService({
      id: 3,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      fromId: new Api.PeerUser({ userId: bigInt(11) }),
      date: 2,
      action: new Api.MessageActionPinMessage(),
      replyTo: new Api.MessageReplyHeader({ replyToMsgId: 2 }),
    }),
    names,
  )!;
  assert.equal(s.service?.type, "pin_message");
  assert.equal(s.service?.message_id, 2);
  assert.equal(mapMessage(new Api.MessageEmpty({ id: 5 })), undefined);
});

Deno.test("mapMessage: a new chat photo is the service message's media; the reply header is its subject", () => {
  const photo = new Api.Photo({
    id: bigInt(21),
    accessHash: bigInt(22),
    fileReference: Buffer.from([1, 2]),
    date: 0,
    dcId: 4,
    sizes: [new Api.PhotoSize({ type: "x", w: 640, h: 640, size: 4242 })],
  });
  const m = mapMessage(
    new Api.MessageService({
      id: 7,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      fromId: new Api.PeerUser({ userId: bigInt(11) }),
      date: 3,
      action: new Api.MessageActionChatEditPhoto({ photo }),
    }),
    names,
  )!;
  assert.equal(m.service?.type, "edit_group_photo");
  assert.deepEqual(
    { ...m.media, ref: undefined },
    { kind: "photo", ref: undefined, size: 4242, width: 640, height: 640 },
  );
  assert.deepEqual(decodeMediaRef(m.media!.ref!), {
    type: "photo",
    id: "21",
    accessHash: "22",
    dcId: 4,
    thumbSize: "x",
    fileReference: "0102",
  });
  const pin = mapMessage(
    new Api.MessageService({
      id: 8,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      date: 3,
      action: new Api.MessageActionPinMessage(),
      replyTo: new Api.MessageReplyHeader({ replyToMsgId: 7 }),
    }),
  )!;
  assert.equal(pin.service?.message_id, 7);
  assert.equal(pin.reply_to, undefined);
});

Deno.test("mapMessage: topic_edit keeps only what changed; members and inviter by name", () => {
  const svc = (action: Api.TypeMessageAction) =>
    mapMessage(
      new Api.MessageService({
        id: 9,
        peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
        date: 4,
        action,
      }),
      names,
    )!.service!;
  const { type: _, actor: _a, ...title } = svc(new Api.MessageActionTopicEdit({ title: "Roadmap" }));
  assert.deepEqual(title, { title: "Roadmap" });
  const { type: __, actor: _b, ...flags } = svc(
    new Api.MessageActionTopicEdit({
      iconEmojiId: bigInt("5312536423851630001"),
      closed: true,
      hidden: false,
    }),
  );
  assert.deepEqual(flags, { icon_emoji_id: "5312536423851630001", closed: true, hidden: false });
  assert.deepEqual(svc(new Api.MessageActionChatAddUser({ users: [bigInt(11), bigInt(12)] })).members, [
    "Alice A",
    "12",
  ]);
  assert.deepEqual(svc(new Api.MessageActionChatJoinedByLink({ inviterId: bigInt(11) })).inviter, {
    id: 11,
    kind: "user",
    name: "Alice A",
    username: "alice",
  });
  assert.equal(svc(new Api.MessageActionScreenshotTaken()).type, "take_screenshot");
  assert.equal(svc(new Api.MessageActionChatJoinedByLink({ inviterId: bigInt(0) })).inviter, undefined);
  const call = svc(
    new Api.MessageActionPhoneCall({ callId: bigInt(1), reason: new Api.PhoneCallDiscardReasonMissed() }),
  );
  assert.deepEqual([call.type, call.duration, call.data], ["phone_call", undefined, {
    discard_reason: "missed",
  }]);
  assert.deepEqual(svc(new Api.MessageActionSetChatTheme({ emoticon: "🎄" })).data, { emoticon: "🎄" });
  assert.deepEqual(svc(new Api.MessageActionCustomAction({ message: "Bob did it" })).text, "Bob did it");
  assert.equal(svc(new Api.MessageActionContactSignUp()).type, "joined_telegram");
});

Deno.test("mapMessage: in a forum, a message whose header only names its topic (replyToTopId null, as GramJS decodes it) is no reply", () => {
  const header = new Api.MessageReplyHeader({ replyToMsgId: 3, forumTopic: true });
  // what GramJS's reader leaves for an absent flag field
  (header as unknown as { replyToTopId: null }).replyToTopId = null;
  const m = mapMessage(
    new Api.Message({
      id: 4,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      date: 1,
      message: "x",
      replyTo: header,
    }),
  )!;
  assert.equal(m.topic_id, 3);
  assert.equal(m.reply_to, undefined);
});

Deno.test("mapMessage: a reply to a topic's root message is membership too, not a reply line", () => {
  const m = mapMessage(
    new Api.Message({
      id: 9,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      date: 1,
      message: "x",
      replyTo: new Api.MessageReplyHeader({ replyToMsgId: 3, replyToTopId: 3, forumTopic: true }),
    }),
  )!;
  assert.equal(m.topic_id, 3);
  assert.equal(m.reply_to, undefined);
});

const { BinaryReader } = readerModule as unknown as {
  BinaryReader: new (b: Buffer) => { tgReadObject(): unknown };
};

/** `m` as GramJS reads it off the wire, where an absent flags.N? field is null (not undefined). */
function viaWire(m: Api.Message): Api.Message {
  return new BinaryReader(Buffer.from(m.getBytes())).tgReadObject() as Api.Message;
}

const inChannel = { peerId: new Api.PeerChannel({ channelId: bigInt(500) }), date: 1, message: "x" };

Deno.test("mapMessage: only the reactions with a chosen_order are chosen (GramJS reads an absent one as null)", () => {
  const emoji = (emoticon: string) => new Api.ReactionEmoji({ emoticon });
  const m = mapMessage(viaWire(
    new Api.Message({
      id: 1,
      ...inChannel,
      reactions: new Api.MessageReactions({
        results: [
          new Api.ReactionCount({ reaction: emoji("👍"), count: 3, chosenOrder: 0 }),
          new Api.ReactionCount({ reaction: emoji("🔥"), count: 2 }),
          new Api.ReactionCount({
            reaction: new Api.ReactionCustomEmoji({ documentId: bigInt(9) }),
            count: 1,
          }),
        ],
      }),
    }),
  ))!;
  assert.deepEqual(m.reactions, [
    { count: 3, emoji: "👍", chosen: true },
    { count: 2, emoji: "🔥" },
    { count: 1, custom_emoji_id: "9" },
  ]);
  // absent views/forwards are left out too
  assert.equal("views" in m || "forwards" in m, false);
});

Deno.test("mapMessage: a geo point without accuracy_radius and a poll without total_voters leave those keys out", () => {
  const geo = (accuracyRadius?: number) =>
    new Api.MessageMediaGeo({
      geo: new Api.GeoPoint({ long: 2.5, lat: 1.5, accessHash: bigInt(0), accuracyRadius }),
    });
  const plain = mapMessage(viaWire(new Api.Message({ id: 1, ...inChannel, media: geo() })))!;
  assert.deepEqual(plain.location, { latitude: 1.5, longitude: 2.5 });
  const exact = mapMessage(viaWire(new Api.Message({ id: 2, ...inChannel, media: geo(0) })))!;
  assert.deepEqual(exact.location, { latitude: 1.5, longitude: 2.5, accuracy_m: 0 });
  const text = (t: string) => new Api.TextWithEntities({ text: t, entities: [] });
  const option = Buffer.from("0");
  const poll = (totalVoters?: number) =>
    new Api.MessageMediaPoll({
      poll: new Api.Poll({
        id: bigInt(1),
        question: text("Tea?"),
        answers: [new Api.PollAnswer({ text: text("Yes"), option })],
      }),
      results: new Api.PollResults({ totalVoters }),
    });
  const unknown = mapMessage(viaWire(new Api.Message({ id: 3, ...inChannel, media: poll() })))!;
  assert.deepEqual(unknown.poll, { question: "Tea?", answers: [{ text: "Yes" }] });
  const none = mapMessage(viaWire(new Api.Message({ id: 4, ...inChannel, media: poll(0) })))!;
  assert.equal(none.poll?.total_voters, 0);
});

Deno.test("mapMessage: a reply header without reply_to_msg_id (quote-only) gives no reply_to", () => {
  const m = mapMessage(viaWire(
    new Api.Message({
      id: 5,
      ...inChannel,
      replyTo: new Api.MessageReplyHeader({ quote: true, quoteText: "said elsewhere" }),
    }),
  ))!;
  assert.equal("reply_to" in m, false);
  assert.equal("topic_id" in m, false);
  // a forum header that names neither a message nor a topic gives no topic_id either
  const f = mapMessage(viaWire(
    new Api.Message({ id: 6, ...inChannel, replyTo: new Api.MessageReplyHeader({ forumTopic: true }) }),
  ))!;
  assert.equal("reply_to" in f || "topic_id" in f, false);
});
