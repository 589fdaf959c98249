/**
 * tgpipe's BotApi (lib/telegram/bot_api.ts) against the fake DC over real sockets, with a stock
 * GramJS client as the user: a conversation with a keyboard, a button press, an edit; a restart
 * that catches up on exactly what was missed; blocked users, per-chat flood, files both ways.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { Api } from "telegram";
import { CustomFile } from "telegram/client/uploads.js";
import type { BotUpdate } from "../../lib/core/bot_types.ts";
import { TelegramError } from "../../lib/core/errors.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { memoryStore, openBotPool, startBot, userMessage } from "./_bot_harness.ts";
import { startUserAs } from "./_bot_user.ts";
import { openBotApi } from "../../lib/telegram/bot_api.ts";
import type { TgClient } from "../../lib/telegram/client.ts";

const WORLD = "gen:chats=1,messages=3,files=0,forum=0,comments=0";
type Msg = Extract<BotUpdate, { kind: "message" }>;
const isMsg = (text: string) => (u: BotUpdate): u is Msg => u.kind === "message" && u.text === text;

Deno.test("bot: keyboard, button press, edit; a restart catches up on exactly the missed messages", async () => {
  let differences = 0;
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    trace: true,
    log: (line) => void (line.includes("<- updates.GetDifference") && differences++),
  });
  const store = memoryStore();
  const user = await startUserAs(tg);
  let bot = await startBot(tg, store);
  try {
    assert.equal(bot.api.me.username, "tgpipe_test_bot");
    await user.send("hello");
    const hello = await bot.updates.next("bot receives hello", isMsg("hello"));
    assert.equal(hello.from.id, String(tg.world.selfUserId));
    assert.equal(hello.chat_id, String(tg.world.selfUserId));
    await assert.rejects(
      bot.api.sendText(hello.chat_id, "x", { buttons: [[{ text: "big", data: "d".repeat(65) }]] }),
      RangeError,
    );
    const pickId = await bot.api.sendText(hello.chat_id, "pick one", {
      buttons: [[{ text: "A", data: "q:a" }, { text: "B", data: "q:b" }]],
      reply_to: hello.message_id,
    });
    const pick = await user.updates.next(
      "user sees the keyboard",
      userMessage(Api.UpdateNewMessage, "pick one"),
    );
    const markup = (pick.message as Api.Message).replyMarkup as Api.ReplyInlineMarkup;
    assert.deepEqual(markup.rows[0].buttons.map((b) => b.text), ["A", "B"]);

    const answer = user.client.invoke(
      new Api.messages.GetBotCallbackAnswer({
        peer: user.peer,
        msgId: pick.message.id,
        data: Buffer.from("q:b"),
      }),
    );
    const press = await bot.updates.next("bot receives the press", (u) => u.kind === "callback");
    assert.ok(press.kind === "callback");
    assert.deepEqual([press.data, press.message_id, press.chat_id], ["q:b", pickId, hello.chat_id]);
    await bot.api.answerCallback(press.query_id, "B it is");
    assert.equal((await answer).message, "B it is");
    // an edit without `buttons` keeps the keyboard; an empty list removes it
    await bot.api.editText(press.chat_id, press.message_id, "you picked B");
    const edited = await user.updates.next(
      "user sees the edit",
      userMessage(Api.UpdateEditMessage, "you picked B"),
    );
    assert.equal(edited.message.id, pick.message.id);
    assert.ok((edited.message as Api.Message).replyMarkup, "the keyboard stays");
    await bot.api.editText(press.chat_id, press.message_id, "done", { buttons: [] });
    const done = await user.updates.next(
      "user sees the second edit",
      userMessage(Api.UpdateEditMessage, "done"),
    );
    assert.ok(!(done.message as Api.Message).replyMarkup, "the keyboard is gone");
    // the same text again is MESSAGE_NOT_MODIFIED, which is no error
    await bot.api.editText(press.chat_id, press.message_id, "done", { buttons: [] });

    // the bot is down while the user writes 3 messages; it comes back from the saved state
    await bot.stop();
    for (const t of ["m1", "m2", "m3"]) await user.send(t);
    bot = await startBot(tg, store);
    const caught = [];
    for (const t of ["m1", "m2", "m3"]) {
      caught.push(await bot.updates.next(`restarted bot receives ${t}`, isMsg(t)));
    }
    // m4 comes live as updateShortMessage from a user the bot knows: no getDifference for it
    // (the user's client may ask getDifference too, when a wait is quiet: those are not the bot's)
    const botDifferences = () =>
      differences - Object.values(user.sync.stats.differences).reduce((a, b) => a + b);
    const before = botDifferences();
    await user.send("m4");
    const m4 = await bot.updates.next("restarted bot receives m4 live", isMsg("m4"));
    assert.equal(botDifferences(), before);
    assert.deepEqual([m4.chat_id, m4.from.id, m4.from.username], [hello.chat_id, hello.from.id, "fakeself"]);
    // nothing before m1 came again, nothing twice
    assert.deepEqual(bot.updates.all.map((u) => u.kind === "message" ? u.text : u.kind), [
      "m1",
      "m2",
      "m3",
      "m4",
    ]);
    assert.deepEqual(
      caught.map((u) => u.message_id),
      [...caught.map((u) => u.message_id)].sort((a, b) => a - b),
    );
    assert.ok(store.state!.message_id >= caught[2].message_id);
  } finally {
    await bot.stop();
    await user.close();
    await tg.close();
  }
});

Deno.test("bot: blocked user, per-chat flood honoured, files both ways byte-exact", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const user = await startUserAs(tg);
  const bot = await startBot(tg, memoryStore());
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_api_" });
  try {
    await user.send("/start");
    const start = await bot.updates.next("bot receives /start", isMsg("/start"));
    const chat = start.chat_id;

    await user.client.invoke(new Api.contacts.Block({ id: user.peer }));
    await assert.rejects(
      bot.api.sendText(chat, "news"),
      (e) => e instanceof TelegramError && e.rpcMessage === "USER_IS_BLOCKED",
    );
    await user.client.invoke(new Api.contacts.Unblock({ id: user.peer }));

    // more than the per-chat burst: the bot is told to wait (FLOOD_WAIT), waits, and every message arrives
    const texts = ["f1", "f2", "f3", "f4"];
    for (const t of texts) await bot.api.sendText(chat, t);
    for (const t of texts) {
      await user.updates.next(`user receives ${t}`, userMessage(Api.UpdateNewMessage, t));
    }
    assert.ok(
      bot.events.some((e) => e.type === "pause" && e.reason === "flood_wait"),
      "a FLOOD_WAIT paused the bot",
    );

    // the bot sends a file; the user downloads it back
    const bytes = new Uint8Array(randomBytes(700 * 1024));
    await Deno.writeFile(`${dir}/report.bin`, bytes);
    await bot.api.sendFile(chat, { path: `${dir}/report.bin`, caption: "your file", as: "document" });
    const got = await user.updates.next(
      "user receives the file",
      userMessage(Api.UpdateNewMessage, "your file"),
    );
    const down = await user.client.downloadMedia(got.message as Api.Message, {});
    assert.ok(Buffer.from(bytes).equals(down as Buffer), "the user's copy is byte-exact");

    // as media, a JPEG goes as a photo
    const jpeg = new Uint8Array(randomBytes(40 * 1024));
    await Deno.writeFile(`${dir}/pic.jpg`, jpeg);
    await bot.api.sendFile(chat, {
      path: `${dir}/pic.jpg`,
      caption: "a photo",
      as: "media",
      mime_type: "image/jpeg",
    });
    const pic = await user.updates.next(
      "user receives the photo",
      userMessage(Api.UpdateNewMessage, "a photo"),
    );
    assert.ok((pic.message as Api.Message).media instanceof Api.MessageMediaPhoto);
    assert.ok(
      Buffer.from(jpeg).equals(
        await user.client.downloadMedia(pic.message as Api.Message, {}) as Buffer,
      ),
    );

    // the user sends a file; the bot downloads it with the download engine
    const mine = new Uint8Array(randomBytes(300 * 1024 + 17));
    await user.client.sendFile(user.peer, {
      file: new CustomFile("voice.ogg", mine.length, "", Buffer.from(mine)),
      caption: "a voice",
      forceDocument: true,
    });
    const withFile = await bot.updates.next("bot receives the file", isMsg("a voice"));
    assert.equal(withFile.media?.size, mine.length);
    await bot.api.downloadMedia(withFile.media!, `${dir}/got.ogg`);
    assert.deepEqual(await Deno.readFile(`${dir}/got.ogg`), mine);
    // the bot's own sends moved its pts (the file's send answer is not fed back): the gap was
    // re-synced with getDifference, and no message came twice
    const ids = bot.updates.all.map((u) => u.kind === "message" ? u.message_id : 0);
    assert.deepEqual(ids, [...new Set(ids)]);
  } finally {
    await bot.stop();
    await user.close();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bot: dropped connections; the bot reconnects, re-syncs and gets every message once", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  let user = await startUserAs(tg);
  const bot = await startBot(tg, memoryStore());
  try {
    await user.send("before");
    await bot.updates.next("bot receives 'before'", isMsg("before"));
    await tg.dropConnections();
    await user.close();
    user = await startUserAs(tg);
    // sent while the bot may still be reconnecting: caught up by getDifference or pushed live
    await user.send("during 1");
    await user.send("during 2");
    await bot.updates.next("bot receives 'during 2'", isMsg("during 2"));
    await user.send("after");
    await bot.updates.next("bot receives 'after'", isMsg("after"));
    assert.deepEqual(bot.updates.all.map((u) => u.kind === "message" ? u.text : u.kind), [
      "before",
      "during 1",
      "during 2",
      "after",
    ]);
  } finally {
    await bot.stop();
    await user.close();
    await tg.close();
  }
});

Deno.test("bot: stopped inside a catch-up batch, a restart hands out only what was not handled", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const store = memoryStore();
  const user = await startUserAs(tg);
  try {
    let bot = await startBot(tg, store);
    await user.send("first");
    await bot.updates.next("bot receives 'first'", isMsg("first"));
    await bot.stop();
    for (const t of ["b1", "b2", "b3"]) await user.send(t);
    // pulled by hand: b1 is handled, then the bot stops while b2 and b3 wait in the same difference
    const pool = await openBotPool(tg);
    const api = await openBotApi({ account: pool.accounts[0], state: store });
    const stop = new AbortController();
    const it = api.updates(stop.signal)[Symbol.asyncIterator]();
    const b1 = await it.next();
    assert.equal(!b1.done && b1.value.kind === "message" && b1.value.text, "b1");
    stop.abort();
    assert.equal((await it.next()).done, true, "nothing more once stopped");
    await pool.close();
    bot = await startBot(tg, store);
    try {
      await bot.updates.next("bot receives b3 after the restart", isMsg("b3"));
      assert.deepEqual(bot.updates.all.map((u) => u.kind === "message" ? u.text : u.kind), ["b2", "b3"]);
    } finally {
      await bot.stop();
    }
  } finally {
    await user.close();
    await tg.close();
  }
});

Deno.test("bot: a send (text, file) whose answer was lost and whose resend is refused as a duplicate is sent once", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const user = await startUserAs(tg);
  const bot = await startBot(tg, memoryStore());
  try {
    await user.send("hi");
    const hi = await bot.updates.next("bot receives hi", isMsg("hi"));
    // the first copy reaches Telegram but its answer is lost; the copy sent again is refused
    const client = (bot.api as unknown as { opts: { account: { client: TgClient } } }).opts.account.client;
    const call = client.call.bind(client);
    let lost = 0;
    client.call = (async (req: object, opts?: object) => {
      const sends = req instanceof Api.messages.SendMessage || req instanceof Api.messages.SendMedia;
      if (sends && lost++ < 2) await call(req, opts);
      return await call(req, opts);
    }) as typeof client.call;
    const id = await bot.api.sendText(hi.chat_id, "just once", { reply_to: hi.message_id });
    await bot.api.editText(hi.chat_id, id, "just once, edited");
    await user.updates.next(
      "the edit of the one message",
      userMessage(Api.UpdateEditMessage, "just once, edited"),
    );
    const dir = await Deno.makeTempDir();
    await Deno.writeFile(`${dir}/f.bin`, randomBytes(3000));
    const fileId = await bot.api.sendFile(hi.chat_id, {
      path: `${dir}/f.bin`,
      caption: "one file",
      as: "document",
    });
    await Deno.remove(dir, { recursive: true });
    await bot.api.editText(hi.chat_id, fileId, "one file, edited");
    await user.updates.next(
      "the file's caption edited",
      userMessage(Api.UpdateEditMessage, "one file, edited"),
    );
    await user.send("/end");
    await bot.updates.next("bot receives /end", isMsg("/end"));
    await bot.api.sendText(hi.chat_id, "end");
    await user.updates.next("the last message", userMessage(Api.UpdateNewMessage, "end"));
    const texts = user.updates.all.filter((u) => u instanceof Api.UpdateNewMessage)
      .map((u) => ((u as Api.UpdateNewMessage).message as Api.Message).message);
    assert.deepEqual(texts.filter((t) => t === "just once"), ["just once"], "one message");
    assert.deepEqual(texts.filter((t) => t === "one file"), ["one file"], "one file");
  } finally {
    await bot.stop();
    await user.close();
    await tg.close();
  }
});
