import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/core/errors.ts";
import type { Message } from "../../lib/core/message.ts";
import { entitiesToMarkdown } from "../../lib/export/entities_to_markdown.ts";
import { parseTdesktopText, readTdesktopExport } from "../../lib/export/tdesktop_reader.ts";
import { SAMPLE_ICON_EMOJI, SAMPLE_PHOTO, writeServiceSample } from "../fakedc/_tdesktop_sample.ts";

const DATA = new URL("../../../shared/data/tdesktop/", import.meta.url).pathname;
/** A Desktop export with every entity kind and its fields (mention_name, text_link, pre, ...). */
const FIXTURE = new URL("./fixtures/tdesktop_entities", import.meta.url).pathname;
const byId = (ms: Message[], id: number) => ms.find((m) => m.id === id)!;

Deno.test("tdesktop: tgif slices merge per chat, old and new formats", async () => {
  const exp = await readTdesktopExport(join(DATA, "tgif"));
  assert.equal(exp.format, "tgif");
  assert.equal(exp.files.length, 14);
  const tu = exp.chats.find((c) => c.chat.id === 1712691810)!;
  assert.equal(tu.chat.title, "Teknologi Umum v2.0");
  assert.equal(tu.chat.kind, "supergroup");
  const ids = tu.messages.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.equal(new Set(ids).size, ids.length);
  // Old-format slice (no date_unixtime): wall-clock time read as UTC; reply and edit kept.
  const old = byId(tu.messages, 95366);
  assert.equal(old.date, Date.UTC(2022, 8, 16, 21, 4, 27) / 1000);
  assert.equal(old.edit_date, Date.UTC(2022, 8, 16, 21, 4, 57) / 1000);
  assert.deepEqual(byId(tu.messages, 95364).reply_to, { message_id: 95359 });
  assert.deepEqual(byId(tu.messages, 95364).author, { name: "Ahmad Tohir", kind: "user", id: 368718073 });
  assert.equal(byId(tu.messages, 95370).forward?.from_name, "Ronny Gunawan ️");
  // New format: date_unixtime wins.
  assert.equal(byId(tu.messages, 249636).date, 1674835763);
  // Poll with results.
  const poll = byId(tu.messages, 632576).poll!;
  assert.equal(poll.total_voters, 25);
  assert.deepEqual(poll.answers.map((a) => [a.text, a.voters, a.chosen]), [["Tahu", 11, true], [
    "Tidak",
    14,
    false,
  ]]);
  // Sticker, animation via bot, "(File not included...)".
  const all = exp.chats.flatMap((c) => c.messages);
  const sticker = byId(all, 10837).media!;
  assert.equal(sticker.kind, "sticker");
  assert.equal(sticker.emoji, "✨");
  assert.equal(sticker.ref, "coorporate-speak/stickers/sticker (1).webp");
  assert.equal(byId(all, 10906).via_bot?.username, "gif");
  assert.equal(byId(all, 10906).media?.kind, "animation");
  const missing = byId(all, 54863).media!;
  assert.equal(missing.kind, "animation");
  assert.equal(missing.ref, undefined);
  assert.equal(missing.thumb_ref, undefined);
});

Deno.test("tdesktop: tg2md single chat, service message, entities, media kinds", async () => {
  const exp = await readTdesktopExport(join(DATA, "tg2md"));
  assert.equal(exp.format, "single");
  const [{ chat, messages }] = exp.chats;
  assert.deepEqual(chat, { id: 1292077344, kind: "channel", title: "test" });
  const svc = byId(messages, 1);
  assert.equal(svc.service?.type, "create_channel");
  assert.deepEqual(svc.service?.actor, { name: "test", kind: "channel", id: 1292077344 });
  // whole entities: Desktop's empty pre language is no language; text_link's href is its url
  assert.deepEqual(byId(messages, 5).entities, [
    { offset: 0, length: 8, type: "italic" },
    { offset: 8, length: 6, type: "bold" },
    { offset: 14, length: 11, type: "underline" },
    { offset: 25, length: 15, type: "strikethrough" },
    { offset: 40, length: 9, type: "pre" },
  ]);
  assert.deepEqual(byId(messages, 14).entities, [
    { offset: 0, length: 11, type: "text_link", url: "http://example.com/" },
    { offset: 11, length: 11, type: "url" },
    { offset: 24, length: 19, type: "email" },
  ]);
  assert.equal(byId(messages, 7).media?.kind, "voice");
  assert.equal(byId(messages, 8).media?.kind, "audio");
  assert.equal(byId(messages, 22).media?.kind, "document");
  assert.equal(byId(messages, 22).media?.thumb_ref, "files/dice.svg_thumb.jpg");
  assert.equal(byId(messages, 3).media?.kind, "photo");
  // Photos sent together become an album.
  assert.deepEqual([23, 24, 25].map((id) => byId(messages, id).grouped_id), Array(3).fill("tdesktop:23"));
  assert.equal(byId(messages, 26).grouped_id, undefined);
});

Deno.test("tdesktop: whole-account export (chats.list, left_chats) and every entity type", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = [
      "a ",
      { type: "bold", text: "b" },
      { type: "italic", text: "i" },
      { type: "underline", text: "u" },
      { type: "strikethrough", text: "s" },
      { type: "spoiler", text: "sp" },
      { type: "code", text: "c" },
      { type: "pre", text: "p", language: "go" },
      { type: "text_link", text: "t", href: "https://x/" },
      { type: "link", text: "x.y" },
      { type: "mention", text: "@m" },
      { type: "mention_name", text: "N", user_id: 7 },
      { type: "hashtag", text: "#h" },
      { type: "cashtag", text: "$C" },
      { type: "bot_command", text: "/b" },
      { type: "email", text: "e@x.y" },
      { type: "phone", text: "+1" },
      { type: "blockquote", text: "q", collapsed: true },
      { type: "custom_emoji", text: "😀", document_id: "123" },
      { type: "bank_card", text: "4111" },
    ];
    const account = {
      personal_information: { user_id: 99, first_name: "Me" },
      chats: {
        about: "",
        list: [
          {
            name: "Bob",
            type: "personal_chat",
            id: 5,
            messages: [{
              id: 1,
              type: "message",
              date: "2024-01-01T00:00:00",
              date_unixtime: "1704067200",
              from: "Bob",
              from_id: "user5",
              text,
              text_entities: text.map((p) => typeof p === "string" ? { type: "plain", text: p } : p),
              location_information: { latitude: 1.5, longitude: 2.5 },
              place_name: "Cafe",
              address: "Main st",
              contact_information: { first_name: "Al", last_name: "", phone_number: "+100" },
              reactions: [{ type: "emoji", count: 3, emoji: "👍" }],
            }],
          },
          {
            type: "saved_messages",
            messages: [{
              id: 2,
              type: "message",
              date_unixtime: "1704067201",
              text: "note to self",
              file: "../../etc/passwd",
              media_type: "video_message",
            }],
          },
        ],
      },
      left_chats: { about: "", list: [{ name: "Old group", type: "private_group", id: 6, messages: [] }] },
    };
    await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(account));
    const exp = await readTdesktopExport(dir);
    assert.equal(exp.format, "account");
    assert.deepEqual(exp.chats.map((c) => [c.chat.id, c.chat.kind, c.left]), [[5, "user", false], [
      99,
      "saved",
      false,
    ], [6, "group", true]]);
    const m = exp.chats[0].messages[0];
    // whole entities, fields included: a field read from the wrong key would still give the type
    const ranges: Array<{ offset: number; length: number }> = [];
    let at = 0;
    for (const p of text) {
      const t = typeof p === "string" ? p : p.text;
      if (typeof p !== "string" && p.type !== "bank_card") ranges.push({ offset: at, length: t.length });
      at += t.length;
    }
    const fields = [
      { type: "bold" },
      { type: "italic" },
      { type: "underline" },
      { type: "strikethrough" },
      { type: "spoiler" },
      { type: "code" },
      { type: "pre", language: "go" },
      { type: "text_link", url: "https://x/" },
      { type: "url" },
      { type: "mention" },
      { type: "mention_name", user_id: 7 },
      { type: "hashtag" },
      { type: "cashtag" },
      { type: "bot_command" },
      { type: "email" },
      { type: "phone" },
      { type: "blockquote", collapsed: true },
      { type: "custom_emoji", document_id: "123" },
    ];
    assert.deepEqual(m.entities, ranges.map((r, i) => ({ ...r, ...fields[i] })));
    assert.deepEqual(m.location, {
      latitude: 1.5,
      longitude: 2.5,
      venue: { title: "Cafe", address: "Main st" },
    });
    assert.deepEqual(m.contact, { first_name: "Al", last_name: undefined, phone: "+100" });
    assert.deepEqual(m.reactions, [{ emoji: "👍", custom_emoji_id: undefined, paid: undefined, count: 3 }]);
    const saved = exp.chats[1].messages[0];
    assert.equal(saved.media?.kind, "round");
    // The reader keeps the hostile path as an opaque ref; the importer refuses it (safeJoin).
    assert.equal(saved.media?.ref, "../../etc/passwd");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tdesktop: every entity kind of the fixture export, read whole (user_id, url, language, document_id)", async () => {
  const exp = await readTdesktopExport(FIXTURE);
  const [{ chat, messages }] = exp.chats;
  assert.deepEqual(chat, { id: 4004, kind: "user", title: "Entity samples" });
  const one = byId(messages, 1);
  // [text, entity without offset/length]: offsets come from the text, fields are written out here
  const want: Array<[string, Record<string, unknown>]> = [
    ["bold", { type: "bold" }],
    ["italic", { type: "italic" }],
    ["under", { type: "underline" }],
    ["strike", { type: "strikethrough" }],
    ["hidden", { type: "spoiler" }],
    ["x = 1", { type: "code" }],
    ["print('hi')", { type: "pre", language: "python" }],
    ["no language", { type: "pre" }],
    ["docs", { type: "text_link", url: "https://example.com/docs?a=1&b=2" }],
    ["https://t.me/durov", { type: "url" }],
    ["@durov", { type: "mention" }],
    ["Bob", { type: "mention_name", user_id: 5005 }],
    ["Carol", { type: "mention_name", user_id: 7007 }],
    ["#news", { type: "hashtag" }],
    ["$TON", { type: "cashtag" }],
    ["/start", { type: "bot_command" }],
    ["a@example.com", { type: "email" }],
    ["+15550001111", { type: "phone" }],
    ["quoted", { type: "blockquote" }],
    ["folded", { type: "blockquote", collapsed: true }],
    ["👍", { type: "custom_emoji", document_id: "5368324170671202286" }],
  ];
  assert.deepEqual(
    one.entities,
    want.map(([t, e]) => ({ offset: one.text.indexOf(t), length: t.length, ...e })),
  );
  // the older format (mixed `text` only) gives the same fields
  const two = byId(messages, 2);
  assert.equal(two.text, "ping Dave here");
  assert.deepEqual(two.entities, [
    { offset: 5, length: 4, type: "mention_name", user_id: 9009 },
    { offset: 10, length: 4, type: "text_link", url: "tg://resolve?domain=durov" },
  ]);
  assert.deepEqual(byId(messages, 3).entities, []);
  // and they reach the Markdown
  const md = entitiesToMarkdown(one.text, one.entities);
  for (const part of ["[Bob](tg://user?id=5005)", "[Carol](tg://user?id=7007)", "```python\n"]) {
    assert.ok(md.includes(part), `${part} in ${md}`);
  }
  assert.match(entitiesToMarkdown(two.text, two.entities), /\[Dave\]\(tg:\/\/user\?id=9009\)/);
});

Deno.test("tdesktop: UTF-16 offsets with astral characters", () => {
  const { text, entities } = parseTdesktopText(["😀 ", { type: "bold", text: "𝐁x" }]);
  assert.equal(text, "😀 𝐁x");
  assert.deepEqual(entities, [{ offset: 3, length: 3, type: "bold" }]);
});

Deno.test("tdesktop: bad input is a UsageError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(readTdesktopExport(join(dir, "missing")), UsageError);
    await assert.rejects(readTdesktopExport(dir), /Not a Telegram Desktop export/);
    await Deno.writeTextFile(join(dir, "result.json"), "{not json");
    await assert.rejects(readTdesktopExport(dir), UsageError);
    await Deno.writeTextFile(join(dir, "result.json"), "{}");
    await assert.rejects(readTdesktopExport(dir), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tdesktop: service fields (new chat photo, topic_edit, inviter) and forum topics inferred from topic_created", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_td_svc_" });
  try {
    await writeServiceSample(dir);
    const [{ chat, messages }] = (await readTdesktopExport(dir)).chats;
    assert.equal(chat.kind, "forum");
    assert.deepEqual(chat.topics, [{ id: 3, title: "Plans" }]);
    const photo = byId(messages, 2);
    assert.equal(photo.service?.type, "edit_group_photo");
    assert.deepEqual(photo.media, {
      kind: "photo",
      ref: SAMPLE_PHOTO,
      file_name: SAMPLE_PHOTO.split("/")[1],
      size: (await Deno.stat(join(dir, SAMPLE_PHOTO))).size,
      width: 801,
      height: 526,
    });
    assert.equal(byId(messages, 5).service?.title, "Roadmap");
    assert.equal(byId(messages, 6).service?.icon_emoji_id, BigInt(JSON.parse(SAMPLE_ICON_EMOJI)).toString());
    assert.deepEqual(byId(messages, 11).service?.inviter, { name: "Alice Admin" });
    // group_call writes `duration`, set_messages_ttl `period`
    assert.deepEqual([byId(messages, 16).service?.duration, byId(messages, 17).service?.duration], [
      60,
      86400,
    ]);
    // a message in a topic: the root reply is membership, a reply inside the topic stays a reply
    assert.deepEqual([byId(messages, 4).topic_id, byId(messages, 4).reply_to], [3, undefined]);
    assert.deepEqual([byId(messages, 14).topic_id, byId(messages, 14).reply_to], [3, {
      message_id: 4,
      topic_id: 3,
    }]);
    assert.deepEqual([byId(messages, 15).topic_id, byId(messages, 3).topic_id], [undefined, undefined]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
