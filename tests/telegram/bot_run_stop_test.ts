/**
 * `tgpipe bot` with a download in flight (the loopback site stalls it): /cancel stops it and says
 * so; a stop marks the running download failed and tells the user, and after the restart nothing
 * is sent again and the bot answers as before.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Api } from "telegram";
import { openBotStore } from "../../lib/store/bot/bot_store.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { startSite } from "../grab/_site.ts";
import {
  botMessages,
  botSays,
  type BotUserClient,
  buttonData,
  startRunBot,
  startUserAs,
} from "./_bot_run_world.ts";

const WORLD = "gen:chats=1,messages=1,files=0,forum=0,comments=0";

/** Sends `url`, presses its first button, and waits until the download runs. */
async function startDownload(user: BotUserClient, url: string, step: string): Promise<number> {
  const sent = await user.send(url);
  const looking = await user.updates.next(`${step}: looking`, botSays(/^Looking/, { replyTo: sent }));
  const keyboard = botSays(/Pick a quality/, { edited: true });
  const info = await user.updates.next(
    `${step}: keyboard`,
    (u): u is Api.UpdateNewMessage & { message: Api.Message } =>
      keyboard(u) && u.message.id === looking.message.id,
  );
  await user.press(info.message.id, buttonData(info.message)[0]);
  const downloading = botSays(/\nDownloading…/, { edited: true });
  await user.updates.next(
    `${step}: downloading`,
    (u): u is Api.UpdateNewMessage => downloading(u) && u.message.id === info.message.id,
  );
  return info.message.id;
}

Deno.test("bot run: /cancel stops a download; a stop mid-download fails it once, nothing re-sent", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const site = await startSite();
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_stop_" });
  const kv = join(dir, "kv.sqlite");
  const user = await startUserAs(tg);
  let bot = await startRunBot(tg, kv);
  try {
    // the second request of each path sends half its body, then nothing: the download hangs
    const one = await startDownload(user, `${site.base}/f/stall2/direct.mp4`, "first");
    const cancel = await user.send("/cancel");
    await user.updates.next("cancel reply", botSays(/^Cancelled 1 download\.$/, { replyTo: cancel }));
    const cancelled = await user.updates.next(
      "message says cancelled",
      botSays(/\nCancelled\.$/, { edited: true }),
    );
    assert.equal(cancelled.message.id, one);
    const nothing = await user.send("/cancel");
    await user.updates.next("nothing to cancel", botSays(/no download in progress/, { replyTo: nothing }));

    const two = await startDownload(user, `${site.base}/f/stall2/v240.mp4`, "second");
    const stopping = bot.stop();
    const stopped = await user.updates.next(
      "told of the stop",
      botSays(/send the link again/, { edited: true }),
    );
    assert.equal(stopped.message.id, two);
    await stopping;

    bot = await startRunBot(tg, kv);
    const help = await user.send("/help");
    await user.updates.next("answered after the restart", botSays(/Send me a link/, { replyTo: help }));
    const all = botMessages(user);
    assert.ok(!all.some((m) => m.media instanceof Api.MessageMediaDocument), "no file was sent");
    assert.equal(all.filter((m) => /send the link again/.test(m.message)).length, 0, "no second notice");
  } finally {
    await bot.stop();
    await user.close();
    await site.close();
    await tg.close();
  }
  const store = await openBotStore(kv);
  try {
    const h = await store.downloads.list({});
    assert.deepEqual(h.map((d) => [d.status, d.error]).reverse(), [
      ["failed", "cancelled by the user"],
      ["failed", "the bot stopped"],
    ]);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
