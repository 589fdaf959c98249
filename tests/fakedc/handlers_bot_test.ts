/**
 * The fake DC's bot conversations at the handler level, strict like Telegram: both sides' boxes
 * and pts, getDifference (slices), live pushes, keyboards (BUTTON_DATA_INVALID), edits, callback
 * queries (answered and timed out), blocked users, bot flood limits, methods bots may not call.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram/tl/index.js";
import { BinaryReader } from "telegram/extensions/index.js";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";
import { FAKE_LOGIN } from "./world/login.ts";
import { BOT_LIMITS } from "./handlers/bot_state.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function rejects(p: Promise<unknown>, code: number, msg: string | RegExp) {
  await assert.rejects(p, (e: Json) => {
    assert.equal(e.code, code);
    if (typeof msg === "string") assert.equal(e.errorMessage, msg);
    else assert.match(e.errorMessage, msg);
    return true;
  });
}

async function setup() {
  const w = await loadWorld("gen:chats=1,messages=5,files=0,forum=0,comments=0", { seed: 5 });
  const c = cluster(w);
  const user = c.key(w.selfUserId);
  const bot = c.key(FAKE_LOGIN.bot.userId);
  const botUser = w.users.get(FAKE_LOGIN.bot.userId)!;
  const me = w.users.get(w.selfUserId)!;
  const toBot = new Api.InputPeerUser({ userId: bigInt(botUser.id), accessHash: bigInt(botUser.accessHash) });
  const toUser = new Api.InputPeerUser({ userId: bigInt(me.id), accessHash: bigInt(me.accessHash) });
  // pushes to the bot's live session (connection 7), decoded
  const pushed: Json[] = [];
  const botLive = {
    connId: 7,
    push: (b: Uint8Array) => pushed.push(new BinaryReader(Buffer.from(b)).tgReadObject()),
  };
  return { w, c, user, bot, toBot, toUser, pushed, botLive };
}

Deno.test("bot chat: both histories, pts and getDifference (slices), keyboards, edits, live pushes", async () => {
  const { w, c, user, bot, toBot, toUser, pushed, botLive } = await setup();
  const s0 = await c.call(bot, "updates.GetState", {}, 2, botLive);
  assert.equal(pushed.length, 0);
  for (let i = 1; i <= 3; i++) {
    await c.call(user, "messages.SendMessage", { peer: toBot, message: `hi ${i}`, randomId: bigInt(i) });
  }
  // the bot's session made a call: every message was pushed to it, pts in sequence
  // the first as `updates` with the user; then, the user known, as updateShortMessage
  const live = pushed.map((u) =>
    u.className === "UpdateShortMessage"
      ? [u.className, u.message, u.pts]
      : [u.updates[0].className, u.updates[0].message.message, u.updates[0].pts]
  );
  assert.deepEqual(live, [
    ["UpdateNewMessage", "hi 1", s0.pts + 1],
    ["UpdateShortMessage", "hi 2", s0.pts + 2],
    ["UpdateShortMessage", "hi 3", s0.pts + 3],
  ]);
  assert.ok(pushed[0].users.some((u: Json) => u.id.toString() === String(w.selfUserId)));
  // a slice of 2, then the rest
  const d1 = await c.call(bot, "updates.GetDifference", {
    pts: s0.pts,
    date: s0.date,
    qts: 0,
    ptsTotalLimit: 2,
  });
  assert.equal(d1.className, "updates.DifferenceSlice");
  assert.deepEqual(d1.newMessages.map((m: Json) => m.message), ["hi 1", "hi 2"]);
  const d2 = await c.call(bot, "updates.GetDifference", { ...d1.intermediateState, ptsTotalLimit: 2 });
  assert.equal(d2.className, "updates.Difference");
  assert.deepEqual(d2.newMessages.map((m: Json) => m.message), ["hi 3"]);
  const empty = await c.call(bot, "updates.GetDifference", { ...d2.state });
  assert.equal(empty.className, "updates.DifferenceEmpty");

  // the bot answers with a keyboard; 65 bytes of data is refused
  const btn = (data: string) =>
    new Api.ReplyInlineMarkup({
      rows: [
        new Api.KeyboardButtonRow({
          buttons: [new Api.KeyboardButtonCallback({ text: "go", data: Buffer.from(data) })],
        }),
      ],
    });
  await rejects(
    c.call(bot, "messages.SendMessage", { peer: toUser, message: "x", replyMarkup: btn("d".repeat(65)) }),
    400,
    "BUTTON_DATA_INVALID",
  );
  const sent = await c.call(bot, "messages.SendMessage", {
    peer: toUser,
    message: "pick",
    replyMarkup: btn("q:1"),
  });
  const botMsgId = sent.updates[0].id;
  const us = await c.call(user, "updates.GetState", {});
  const ud = await c.call(user, "updates.GetDifference", { pts: us.pts - 1, date: 0, qts: 0 });
  const got = ud.newMessages[0];
  assert.equal(got.message, "pick");
  assert.equal(got.out, undefined);
  assert.equal(got.replyMarkup.rows[0].buttons[0].data.toString(), "q:1");
  // the user's history has the whole conversation (its own ids)
  const h = await c.call(user, "messages.GetHistory", { peer: toBot, limit: 10 });
  assert.deepEqual(h.messages.map((m: Json) => [m.message, Boolean(m.out)]), [
    ["pick", false],
    ["hi 3", true],
    ["hi 2", true],
    ["hi 1", true],
  ]);
  // the bot edits its message: the user's next difference has the edit
  await c.call(bot, "messages.EditMessage", {
    peer: toUser,
    id: botMsgId,
    message: "picked",
    replyMarkup: btn("q:2"),
  });
  await rejects(
    c.call(bot, "messages.EditMessage", {
      peer: toUser,
      id: botMsgId,
      message: "picked",
      replyMarkup: btn("q:2"),
    }),
    400,
    "MESSAGE_NOT_MODIFIED",
  );
  await rejects(
    c.call(bot, "messages.EditMessage", { peer: toUser, id: botMsgId - 1, message: "mine?" }),
    403,
    "MESSAGE_AUTHOR_REQUIRED",
  );
  const ue = await c.call(user, "updates.GetDifference", { pts: us.pts, date: 0, qts: 0 });
  assert.equal(ue.otherUpdates[0].className, "UpdateEditMessage");
  assert.equal(ue.otherUpdates[0].message.message, "picked");
  assert.equal(ue.otherUpdates[0].message.id, got.id);
  // an edit without reply_markup leaves the message without its keyboard, as on Telegram
  await c.call(bot, "messages.EditMessage", { peer: toUser, id: botMsgId, message: "plain" });
  const uf = await c.call(user, "updates.GetDifference", { ...ue.state });
  assert.equal(uf.otherUpdates[0].message.message, "plain");
  assert.equal(uf.otherUpdates[0].message.replyMarkup, undefined);
  await rejects(
    c.call(bot, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 5 }),
    400,
    "BOT_METHOD_INVALID",
  );
});

Deno.test("bot chat: callback queries answered or timed out, blocked users, flood limits", async () => {
  const { c, user, bot, toBot, toUser, pushed, botLive } = await setup();
  await c.call(user, "messages.SendMessage", { peer: toBot, message: "/start", randomId: bigInt(1) });
  const markup = new Api.ReplyInlineMarkup({
    rows: [
      new Api.KeyboardButtonRow({
        buttons: [new Api.KeyboardButtonCallback({ text: "a", data: Buffer.from("a") })],
      }),
    ],
  });
  await c.call(bot, "messages.SendMessage", { peer: toUser, message: "k", replyMarkup: markup }, 2, botLive);
  const us = await c.call(user, "updates.GetState", {});
  const userMsg =
    (await c.call(user, "updates.GetDifference", { pts: us.pts - 1, date: 0, qts: 0 })).newMessages[0];
  await rejects(
    c.call(user, "messages.GetBotCallbackAnswer", {
      peer: toBot,
      msgId: userMsg.id,
      data: Buffer.from("zz"),
    }),
    400,
    "DATA_INVALID",
  );
  const asked = c.call(user, "messages.GetBotCallbackAnswer", {
    peer: toBot,
    msgId: userMsg.id,
    data: Buffer.from("a"),
  });
  const q = pushed.map((p) => p.updates?.[0] ?? p).find((u) => u.className === "UpdateBotCallbackQuery");
  assert.ok(q, "the bot's live session got the callback query");
  assert.equal(Buffer.from(q.data).toString(), "a");
  await c.call(bot, "messages.SetBotCallbackAnswer", { queryId: q.queryId, message: "ok!", cacheTime: 0 });
  assert.equal((await asked).message, "ok!");
  await rejects(
    c.call(bot, "messages.SetBotCallbackAnswer", { queryId: q.queryId, cacheTime: 0 }),
    400,
    "QUERY_ID_INVALID",
  );
  // nobody answers: BOT_RESPONSE_TIMEOUT (the wait shortened for the test)
  const saved = BOT_LIMITS.callbackTimeoutMs;
  BOT_LIMITS.callbackTimeoutMs = 20;
  try {
    await rejects(
      c.call(user, "messages.GetBotCallbackAnswer", {
        peer: toBot,
        msgId: userMsg.id,
        data: Buffer.from("a"),
      }),
      400,
      "BOT_RESPONSE_TIMEOUT",
    );
  } finally {
    BOT_LIMITS.callbackTimeoutMs = saved;
  }

  // per-chat flood: a burst of perChat.count, then FLOOD_WAIT until the window has passed
  c.clock.t += 10_000;
  for (let i = 0; i < BOT_LIMITS.perChat.count; i++) {
    await c.call(bot, "messages.SendMessage", { peer: toUser, message: `m${i}` });
  }
  await rejects(
    c.call(bot, "messages.SendMessage", { peer: toUser, message: "one more" }),
    420,
    /^FLOOD_WAIT_[1-3]$/,
  );
  c.clock.t += BOT_LIMITS.perChat.windowMs;
  await c.call(bot, "messages.SendMessage", { peer: toUser, message: "later" });

  // the user blocks the bot: its sends fail USER_IS_BLOCKED until unblocked
  c.clock.t += 10_000;
  await c.call(user, "contacts.Block", { id: toBot });
  await rejects(
    c.call(bot, "messages.SendMessage", { peer: toUser, message: "news" }),
    400,
    "USER_IS_BLOCKED",
  );
  await rejects(c.call(bot, "contacts.Block", { id: toUser }), 400, "BOT_METHOD_INVALID");
  await c.call(user, "contacts.Unblock", { id: toBot });
  await c.call(bot, "messages.SendMessage", { peer: toUser, message: "news" });
});

Deno.test("bot flood: about 30 messages a second overall, whatever the chats", async () => {
  const { w, c, bot } = await setup();
  const peers = [];
  for (let i = 0; i <= BOT_LIMITS.overall.count; i++) {
    const id = 5_000_000n + BigInt(i);
    w.users.set(id, { id, accessHash: 77n + BigInt(i), firstName: `u${i}` });
    peers.push(new Api.InputPeerUser({ userId: bigInt(id), accessHash: bigInt(77 + i) }));
  }
  for (const peer of peers.slice(0, BOT_LIMITS.overall.count)) {
    await c.call(bot, "messages.SendMessage", { peer, message: "news" });
  }
  await rejects(
    c.call(bot, "messages.SendMessage", { peer: peers.at(-1), message: "news" }),
    420,
    "FLOOD_WAIT_1",
  );
  c.clock.t += BOT_LIMITS.overall.windowMs;
  await c.call(bot, "messages.SendMessage", { peer: peers.at(-1), message: "news" });
});

Deno.test("bot chat: a send repeated with its random_id (a resend after a lost answer) never posts twice", async () => {
  const { c, user, bot, toBot, toUser } = await setup();
  await c.call(user, "messages.SendMessage", { peer: toBot, message: "hello", randomId: bigInt(41) });
  const s0 = await c.call(bot, "updates.GetState", {});
  const first = await c.call(bot, "messages.SendMessage", {
    peer: toUser,
    message: "once",
    randomId: bigInt(42),
  });
  await rejects(
    c.call(bot, "messages.SendMessage", { peer: toUser, message: "once", randomId: bigInt(42) }),
    400,
    "RANDOM_ID_DUPLICATE",
  );
  await rejects(
    c.call(user, "messages.SendMessage", { peer: toBot, message: "hello", randomId: bigInt(41) }),
    400,
    "RANDOM_ID_DUPLICATE",
  );
  const d = await c.call(bot, "updates.GetDifference", { pts: s0.pts, date: s0.date, qts: 0 });
  assert.deepEqual(d.newMessages.map((m: Json) => [m.id, m.message]), [[first.updates[0].id, "once"]]);
  // another random_id is another message
  await c.call(bot, "messages.SendMessage", { peer: toUser, message: "once", randomId: bigInt(43) });
});
