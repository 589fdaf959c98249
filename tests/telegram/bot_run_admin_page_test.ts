/**
 * The admin page of a running `tgpipe bot` process in a real browser: the admin asks the bot for
 * a login link with /admin (a GramJS user client), headless Chromium opens it, finds a user, bans
 * them and queues a broadcast through the page's forms. The running bot follows: the banned
 * user's next message gets the one ban notice and the one after it nothing; the broadcast reaches
 * every other user's client and not the banned one; unbanned from the page, the user is answered
 * again (his chat is handled in order, so that answer proves the unanswered message was seen).
 */
import assert from "node:assert/strict";
import { Api } from "telegram";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { type Browser, launchChromium, step } from "../_helpers/chromium.ts";
import { broadcastFromPage, clickUserButton, openLoginLink, searchUsers } from "../app/bot/_admin_helpers.ts";
import { type BotProcess, spawnBot } from "./_bot_process.ts";
import { botMessages, botSays, type BotUserClient, startUserAs } from "./_bot_run_world.ts";

Deno.test("bot process: /admin's link in Chromium, ban and broadcast from the page; the bot follows", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1,files=0,forum=0,comments=0,users=3",
    basePort: 0,
  });
  const work = await Deno.makeTempDir({ prefix: "tgpipe_bot_admin_" });
  const users: BotUserClient[] = [];
  let bot: BotProcess | undefined;
  let browser: Browser | undefined;
  try {
    const admin = await startUserAs(tg);
    users.push(admin);
    for (let i = 0; i < 3; i++) users.push(await startUserAs(tg, 2000000n + BigInt(i)));
    const [, ann, bob, cat] = users;
    bot = await spawnBot(tg, work, ["--admin", admin.id, "--admin-listen", "127.0.0.1:0"]);
    const base = bot.ready.admin_url ?? "";
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, "bot_ready names the admin page");
    for (const u of [ann, bob, cat]) {
      const m = await u.send("/start");
      await u.updates.next(`user ${u.id}: /start answered`, botSays(/Send me a link/, { replyTo: m }));
    }
    const others = await ann.send("/admin");
    await ann.updates.next("a non-admin's /admin refused", botSays(/admins only/, { replyTo: others }));
    const ask = await admin.send("/admin");
    const reply = await admin.updates.next("the /admin login link", botSays(/login link/, { replyTo: ask }));
    const link = /http:\/\/\S+/.exec(reply.message.message)?.[0] ?? "";
    assert.ok(link.startsWith(`${base}/login?t=`), `a link to the page: ${reply.message.message}`);

    browser = await launchChromium(work);
    const tab = await browser.newTab();
    assert.equal(await openLoginLink(tab, link), "/users", "logged in with the link from /admin");
    assert.deepEqual(await searchUsers(tab, "user1_gen"), [bob.id], "the search finds bob");
    assert.match(await clickUserButton(tab, bob.id, "ban"), /User banned/);

    const first = await bob.send("hello again");
    await bob.updates.next("bob's one ban notice", botSays(/^You are banned/, { replyTo: first }));
    const second = await bob.send("/start");

    assert.match(await broadcastFromPage(tab, base, "Big news from the page"), /Big news from the page/);
    for (const u of [admin, ann, cat]) {
      await u.updates.next(`user ${u.id}: the broadcast`, botSays(/^Big news from the page$/));
    }
    const done = await bot.events.next(
      "the broadcast's final count",
      (e) => e.type === "broadcast_progress" && e.done === true,
    ) as Extract<typeof bot.events.all[number], { type: "broadcast_progress" }>;
    assert.deepEqual([done.sent, done.failed, done.blocked], [3, 0, 0], "everyone but bob");

    await tab.goto(`${base}/users`);
    assert.match(await clickUserButton(tab, bob.id, "ban"), /User unbanned/);
    const third = await bob.send("/help");
    await bob.updates.next("bob answered after the unban", botSays(/./, { replyTo: third }));
    const bobs = botMessages(bob);
    const replyTo = (m: Api.Message) => (m.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId;
    assert.equal(bobs.filter((m) => /banned/.test(m.message)).length, 1, "one ban notice");
    assert.ok(!bobs.some((m) => replyTo(m) === second), "no answer while banned after the notice");
    assert.ok(!bobs.some((m) => /Big news/.test(m.message)), "no broadcast to a banned user");
    assert.equal(await bot.stop(), 75, "Ctrl-C stops the bot with exit 75");
  } finally {
    if (browser) await step("closing chromium", browser.close());
    await bot?.kill();
    for (const u of users) await u.close();
    await tg.close();
    await Deno.remove(work, { recursive: true });
  }
});
