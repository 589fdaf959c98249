/**
 * The fast history decoder (lib/telegram/fast_history.ts) against GramJS's own reader: the same
 * TL bytes decoded both ways must give the same PageItems, compared as JSON (so key order counts:
 * messages.jsonl is the model serialised) and deep-equal (so an undefined key counts too).
 * Pages: hand-made ones, 400 random ones drawing every field the mappers read, the fake DC's
 * generated world (what the export bench and the e2e tests serve), and pages that must be left to
 * GramJS (ids beyond 2^53, unknown constructors, truncated bytes).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import readerModule from "telegram/extensions/BinaryReader.js";
import { decodeHistoryPage, fastHistoryReady } from "../../lib/telegram/fast_history.ts";
import {
  FastPageAnswer,
  gramPageItems,
  historyDecodeStats,
  pageItems,
  readPageFast,
} from "../../lib/telegram/history_answer.ts";
import { TlUnsupported } from "../../lib/telegram/tl_cursor.ts";
import type { ChatRef } from "../../lib/telegram/media_messages.ts";
import { installFastTl } from "../../lib/telegram/fast_tl.ts";
import { hugeIdPage, randomPage, rngOf, worldChatPages, worldChatRef, worldTlEnv } from "./_history_pages.ts";
import { generateWorld } from "../fakedc/world/gen.ts";
import { chatPeer } from "../fakedc/world/to_tl.ts";

const { BinaryReader } = readerModule as unknown as {
  BinaryReader: new (b: Buffer) => { tgReadObject(): unknown; offset: number; stream: Buffer };
};

const CHAT: ChatRef = {
  id: 1700000001,
  kind: "channel",
  title: "News",
  username: "news",
  peer: "channel:1700000001:5",
};

// export reads with fast_tl installed (native longs, native zlib): compare against that GramJS
installFastTl();

function gram(bytes: Buffer, chat = CHAT) {
  return gramPageItems(new BinaryReader(bytes).tgReadObject() as Api.messages.TypeMessages, chat);
}

/** Decodes `page` both ways and asserts the same items; returns how many messages it held. */
function same(page: Api.messages.TypeMessages, label: string, chat = CHAT): number {
  const bytes = page.getBytes();
  const want = gram(bytes, chat);
  const got = decodeHistoryPage(bytes, 0, chat);
  assert.equal(JSON.stringify(got), JSON.stringify(want), `${label}: JSON differs`);
  assert.deepStrictEqual(got, want, `${label}: objects differ`);
  return got.length;
}

Deno.test("fast decoder: GramJS's schema matches every plan of the decoder", () => {
  // a GramJS upgrade that moves or retypes a field the decoder reads turns this off (all pages
  // would silently take GramJS's path): this test says so instead
  assert.equal(fastHistoryReady(), true);
});

Deno.test("fast decoder: hand-made pages decode as GramJS + map_message.ts do", () => {
  const peerId = new Api.PeerChannel({ channelId: bigInt(CHAT.id) });
  const page = new Api.messages.ChannelMessages({
    pts: 1,
    count: 3,
    topics: [],
    messages: [
      new Api.Message({
        id: 7,
        peerId,
        date: 1700000000,
        message: "bold link",
        entities: [
          new Api.MessageEntityBold({ offset: 0, length: 4 }),
          new Api.MessageEntityTextUrl({ offset: 5, length: 4, url: "https://x.y" }),
        ],
        views: 10,
        forwards: 2,
        groupedId: bigInt("9223372036854775807"),
        replies: new Api.MessageReplies({
          comments: true,
          replies: 4,
          repliesPts: 1,
          channelId: bigInt(1700000002),
        }),
        reactions: new Api.MessageReactions({
          results: [
            new Api.ReactionCount({
              reaction: new Api.ReactionEmoji({ emoticon: "🔥" }),
              count: 3,
              chosenOrder: 0,
            }),
          ],
        }),
      }),
      new Api.MessageEmpty({ id: 6 }),
      new Api.Message({
        id: 5,
        peerId,
        fromId: new Api.PeerUser({ userId: bigInt(101) }),
        fwdFrom: new Api.MessageFwdHeader({
          fromId: new Api.PeerUser({ userId: bigInt(102) }),
          date: 1600000000,
        }),
        viaBotId: bigInt(3000000),
        replyTo: new Api.MessageReplyHeader({ forumTopic: true, replyToMsgId: 4, replyToTopId: 2 }),
        date: 1700000000,
        message: "",
        media: new Api.MessageMediaDocument({
          document: new Api.Document({
            id: bigInt(77),
            accessHash: bigInt(-88),
            fileReference: Buffer.from("abcd", "hex"),
            date: 0,
            mimeType: "video/mp4",
            size: bigInt(123456789),
            thumbs: [new Api.PhotoSize({ type: "m", w: 320, h: 180, size: 4000 })],
            dcId: 4,
            attributes: [
              new Api.DocumentAttributeVideo({ duration: 12.5, w: 1280, h: 720, roundMessage: true }),
              new Api.DocumentAttributeFilename({ fileName: "clip.mp4" }),
            ],
          }),
        }),
      }),
    ],
    chats: [
      new Api.Channel({
        id: bigInt(CHAT.id),
        accessHash: bigInt(5),
        title: "News",
        username: "news",
        photo: new Api.ChatPhotoEmpty(),
        date: 0,
      }),
    ],
    users: [
      new Api.User({ id: bigInt(101), firstName: "Alice", lastName: "A" }),
      new Api.User({ id: bigInt(102), firstName: "Bob", username: "bob" }),
      new Api.User({ id: bigInt(3000000), firstName: "Gif", username: "gif", bot: true, botInfoVersion: 1 }),
    ],
  });
  assert.equal(same(page, "hand-made"), 3);
  const [post, empty, reply] = decodeHistoryPage(page.getBytes(), 0, CHAT);
  // spot checks, so a bug shared by both paths is not all this test would miss
  assert.deepEqual(post.message?.author, { id: CHAT.id, kind: "channel", name: "News", username: "news" });
  assert.equal(post.message?.grouped_id, "9223372036854775807");
  assert.deepEqual(post.message?.comments, { count: 4, chat_id: 1700000002 });
  assert.deepEqual(empty, { id: 6 });
  assert.deepEqual(reply.message?.forward, {
    date: 1600000000,
    from_id: 102,
    from_kind: "user",
    from_name: "Bob",
  });
  assert.deepEqual(reply.message?.via_bot, { id: 3000000, username: "gif" });
  assert.deepEqual(reply.message?.reply_to, { message_id: 4, topic_id: 2 });
  assert.equal(reply.message?.media?.kind, "round");
  assert.deepEqual(reply.file?.thumb, { thumbSize: "m", size: 4000 });
  assert.equal(reply.file?.location.fileReference, "abcd");
});

Deno.test("fast decoder: absent flag fields (GramJS's nulls) are left out on both paths", () => {
  const peerId = new Api.PeerChannel({ channelId: bigInt(CHAT.id) });
  const text = (t: string) => new Api.TextWithEntities({ text: t, entities: [] });
  const emoji = (emoticon: string) => new Api.ReactionEmoji({ emoticon });
  const base = { peerId, date: 1700000000, message: "" };
  const page = new Api.messages.ChannelMessages({
    pts: 1,
    count: 4,
    topics: [],
    messages: [
      new Api.Message({
        id: 4,
        ...base,
        reactions: new Api.MessageReactions({
          results: [
            new Api.ReactionCount({ reaction: emoji("👍"), count: 3, chosenOrder: 0 }),
            new Api.ReactionCount({ reaction: emoji("🔥"), count: 2 }),
          ],
        }),
      }),
      new Api.Message({
        id: 3,
        ...base,
        media: new Api.MessageMediaGeo({ geo: new Api.GeoPoint({ long: 2, lat: 1, accessHash: bigInt(0) }) }),
      }),
      new Api.Message({
        id: 2,
        ...base,
        media: new Api.MessageMediaPoll({
          poll: new Api.Poll({
            id: bigInt(1),
            question: text("Tea?"),
            answers: [new Api.PollAnswer({ text: text("Yes"), option: Buffer.from("0") })],
          }),
          results: new Api.PollResults({}),
        }),
      }),
      new Api.Message({
        id: 1,
        ...base,
        replyTo: new Api.MessageReplyHeader({ quote: true, quoteText: "elsewhere" }),
      }),
    ],
    chats: [],
    users: [],
  });
  assert.equal(same(page, "absent fields"), 4);
  const [reacted, geo, poll, quote] = decodeHistoryPage(page.getBytes(), 0, CHAT).map((i) => i.message!);
  assert.deepEqual(reacted.reactions, [{ count: 3, emoji: "👍", chosen: true }, { count: 2, emoji: "🔥" }]);
  assert.deepEqual(geo.location, { latitude: 1, longitude: 2 });
  assert.deepEqual(poll.poll, { question: "Tea?", answers: [{ text: "Yes" }] });
  assert.equal("reply_to" in quote, false);
});

Deno.test("fast decoder: 400 random pages (every media kind, entity, service action, reply, forward, reaction) as GramJS", () => {
  const r = rngOf(16);
  let n = 0;
  for (let i = 0; i < 400; i++) n += same(randomPage(r, 1 + Math.floor(r() * 40)), `random page ${i}`);
  assert.ok(n > 4000, `only ${n} messages`);
});

Deno.test("fast decoder: the fake DC's generated world, page by page, as GramJS", () => {
  const world = generateWorld("gen:chats=6,messages=600,files=120,photos=40,forum=1,comments=1", { seed: 5 });
  const env = worldTlEnv(world, {
    fileRef: () => Buffer.from("0102030405", "hex"),
    thread: () => ({ count: 3, maxId: 9 }),
  });
  let n = 0;
  for (const chat of world.chats.values()) {
    const ref = worldChatRef(chat);
    for (const [i, bytes] of worldChatPages(env, chat).entries()) {
      // service messages (chat and topic creation) included
      const got = decodeHistoryPage(bytes, 0, ref);
      assert.equal(JSON.stringify(got), JSON.stringify(gram(bytes, ref)), `${chatPeer(chat).id} page ${i}`);
      n += got.length;
    }
  }
  assert.ok(n >= 3000, `only ${n} messages`);
});

/** A request whose readResult is replaced, answered by `bytes` as MTProtoSender would hand them. */
function answer(bytes: Buffer) {
  const req = readPageFast(new Api.messages.GetHistory({ peer: new Api.InputPeerEmpty() } as never), CHAT);
  const reader = new BinaryReader(bytes);
  return (req as unknown as { readResult(r: unknown): Api.messages.TypeMessages | FastPageAnswer })
    .readResult(reader);
}

Deno.test("fast decoder: a page it leaves to GramJS (an id beyond 2^53) is read by GramJS through the request's readResult", () => {
  {
    const label = "huge id";
    const bytes = hugeIdPage().getBytes();
    assert.throws(() => decodeHistoryPage(bytes, 0, CHAT), TlUnsupported, label);
    const before = historyDecodeStats();
    const res = answer(bytes);
    assert.ok(!(res instanceof FastPageAnswer), `${label}: the fast decoder claimed it`);
    assert.equal(historyDecodeStats().gramjs, before.gramjs + 1);
    const items = pageItems(res, CHAT);
    assert.equal(JSON.stringify(items), JSON.stringify(gram(bytes)));
    assert.equal(items[1].message?.author?.name, "Far", label);
  }
  // a page it reads resolves as FastPageAnswer with the same items
  const bytes = randomPage(rngOf(3), 20).getBytes();
  const before = historyDecodeStats();
  const res = answer(bytes);
  assert.ok(res instanceof FastPageAnswer);
  assert.equal(historyDecodeStats().fast, before.fast + 1);
  assert.equal(JSON.stringify(pageItems(res, CHAT)), JSON.stringify(gram(bytes)));
});

// last in this file: GramJS's reader leaves its schema damaged after failing inside a vector
// (getArgFromReader clears arg.isVector and never restores it on a throw)
Deno.test("fast decoder: an unknown constructor or truncated bytes go to GramJS, which fails as it always did", () => {
  const page = new Api.messages.Messages({
    messages: [
      new Api.Message({
        id: 1,
        peerId: new Api.PeerUser({ userId: bigInt(101) }),
        date: 1,
        message: "x",
        media: new Api.MessageMediaDice({ value: 1, emoticon: "🎲" }),
      }),
    ],
    chats: [],
    users: [],
  });
  const bytes = page.getBytes();
  const dice = Buffer.alloc(4);
  dice.writeUInt32LE(Api.MessageMediaDice.CONSTRUCTOR_ID >>> 0);
  const at = bytes.indexOf(dice);
  assert.ok(at > 0);
  const unknown = Buffer.from(bytes);
  unknown.writeUInt32LE(0xdeadbeef, at);
  for (
    const [label, b] of [["unknown constructor", unknown], ["truncated", bytes.subarray(0, bytes.length - 6)]]
  ) {
    assert.throws(() => decodeHistoryPage(b as Buffer, 0, CHAT), TlUnsupported, label as string);
    const gramErr = _error(() => new BinaryReader(b as Buffer).tgReadObject());
    assert.ok(gramErr, `${label}: GramJS reads it`);
    assert.equal(_error(() => answer(b as Buffer))?.message, gramErr.message, label as string);
  }
});

function _error(f: () => unknown): Error | undefined {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}
