/**
 * `tgpipe bot`'s policy end to end (runBot, fake DC, GramJS users): /stats only for admins, the
 * rate limit, maintenance (admins pass), a banned user answered once only, and a broadcast that
 * reaches every non-banned user once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openBotStore } from "../../lib/store/bot/bot_store.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { startSite } from "../grab/_site.ts";
import { botMessages, botSays, startRunBot, startUserAs } from "./_bot_run_world.ts";

const WORLD = "gen:chats=1,messages=1,files=0,forum=0,comments=0";

Deno.test("bot run: admins only, rate limit, maintenance, one ban notice, broadcast", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const site = await startSite();
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_policy_" });
  const kv = join(dir, "kv.sqlite");
  const admin = await startUserAs(tg);
  const bob = await startUserAs(tg, FAKE_LOGIN.twoFa.userId);
  const bot = await startRunBot(tg, kv, { admins: [admin.id], rateLimit: 2, adminListen: "127.0.0.1:0" });
  const store = await openBotStore(kv);
  try {
    const stats = await bob.send("/stats");
    await bob.updates.next("/stats refused", botSays(/admins only/, { replyTo: stats }));
    const notAdmin = await bob.send("/admin");
    await bob.updates.next("/admin refused", botSays(/admins only/, { replyTo: notAdmin }));
    const login = await admin.send("/admin");
    const link = await admin.updates.next("the login link", botSays(/login link/, { replyTo: login }));
    const url = /http:\/\/\S+/.exec(link.message.message)![0];
    const page = await fetch(url);
    await page.body?.cancel();
    assert.equal(page.status, 200);
    assert.match(page.headers.get("set-cookie") ?? "", /HttpOnly/);
    const again = await fetch(url);
    await again.body?.cancel();
    assert.notEqual(again.status, 200, "the link works once");

    // a file size limit below the file (the site names no sizes): refused as the bytes arrive
    await store.settings.update({ max_file_size: 1024 });
    await admin.send(`${site.base}/page.html`);
    const kb = await admin.updates.next("the keyboard", botSays(/Pick a quality/, { edited: true }));
    await admin.press(kb.message.id, "q:360p");
    await admin.updates.next(
      "too big",
      botSays(/more than the 1(\.0)? KiB limit \(premium users/, { edited: true }),
    );
    await store.settings.update({ max_file_size: 50 * 1024 * 1024 });

    // two links a minute: the third is refused with the wait
    for (const n of [1, 2]) {
      const id = await bob.send(`${site.base}/direct.html?n=${n}`);
      await bob.updates.next(`link ${n} looked at`, botSays(/^Looking at/, { replyTo: id }));
    }
    const third = await bob.send(`${site.base}/direct.html?n=3`);
    await bob.updates.next(
      "the rate limit",
      botSays(/^Too many requests: at most 2 a minute/, { replyTo: third }),
    );

    await store.settings.update({ maintenance_message: "Back at six." });
    const hi = await bob.send("/help");
    await bob.updates.next("maintenance text", botSays(/^Back at six\.$/, { replyTo: hi }));
    const help = await admin.send("/help");
    await admin.updates.next("the admin passes", botSays(/Send me a link/, { replyTo: help }));
    await store.settings.update({ maintenance_message: null });

    await store.users.setBanned(bob.id, true);
    const a = await bob.send("/help");
    await bob.updates.next("the ban notice", botSays(/^You are banned/, { replyTo: a }));
    const b = await bob.send("/start");

    // a broadcast while bob is banned: the admin gets it, bob does not
    const bc = await store.broadcasts.create({ text: "Big news!", by: "test" });
    await admin.updates.next("the broadcast", botSays(/^Big news!$/));
    await bot.inbox.next(
      "the broadcast's final count",
      (e) => e.type === "broadcast_progress" && e.broadcast === bc.id && e.done,
    );
    assert.deepEqual(await store.broadcasts.counts(bc.id), { sent: 1, failed: 0, blocked: 0 });

    // unbanned, bob's next message is answered: his chat is handled in order, so /start was seen
    await store.users.setBanned(bob.id, false);
    const c = await bob.send("/help");
    await bob.updates.next("answered again", botSays(/Send me a link/, { replyTo: c }));
    const bobs = botMessages(bob);
    assert.equal(bobs.filter((m) => /banned/.test(m.message)).length, 1, "one ban notice");
    assert.ok(
      !bobs.some((m) => (m.replyTo as { replyToMsgId?: number })?.replyToMsgId === b),
      "no reply while banned",
    );
    assert.ok(!bobs.some((m) => /Big news/.test(m.message)), "no broadcast to a banned user");
    assert.equal(botMessages(admin).filter((m) => /Big news/.test(m.message)).length, 1);
  } finally {
    store.close();
    await bot.stop();
    await admin.close();
    await bob.close();
    await site.close();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
