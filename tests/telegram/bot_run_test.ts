/**
 * `tgpipe bot` end to end: runBot against the fake DC (real GramJS users over real sockets), the
 * loopback grab site with real yt-dlp and ffmpeg. A link becomes a keyboard, a press becomes the
 * file (byte-exact), history follows; audio only; a link with no video; admin /stats.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { Api } from "telegram";
import { openBotStore } from "../../lib/store/bot/bot_store.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { startSite } from "../grab/_site.ts";
import { botSays, buttonData, startRunBot, startUserAs } from "./_bot_run_world.ts";

const WORLD = "gen:chats=1,messages=1,files=0,forum=0,comments=0";

Deno.test("bot run: link → keyboard → 360p → the file, byte-exact; audio only; no video; /stats", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const site = await startSite();
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_run_" });
  const kv = join(dir, "kv.sqlite");
  const user = await startUserAs(tg);
  const bot = await startRunBot(tg, kv, { admins: [String(tg.world.selfUserId)] });
  try {
    const start = await user.send("/start");
    await user.updates.next("the /start reply", botSays(/Send me a link/, { replyTo: start }));

    const link = await user.send(`look ${site.base}/page.html`);
    const looking = await user.updates.next("Looking…", botSays(/^Looking at/, { replyTo: link }));
    const info = await user.updates.next("the keyboard", botSays(/Pick a quality/, { edited: true }));
    assert.equal(info.message.id, looking.message.id);
    assert.match(info.message.message, /Test clip with sources/);
    const data = buttonData(info.message);
    assert.ok(data.includes("q:360p") && data.includes("a:mp3"), `buttons: ${data}`);

    const answer = await user.press(info.message.id, "q:360p");
    assert.match(answer.message ?? "", /Getting 360p/);
    const file = await user.updates.next("the video arrives", botSays(/^Test clip with sources.*\nhttp/));
    const got = await user.client.downloadMedia(file.message, {}) as Buffer;
    assert.ok(Buffer.from(await Deno.readFile(join(site.dir, "v360.mp4"))).equals(got), "byte-exact");
    const doc = (file.message.media as Api.MessageMediaDocument).document as Api.Document;
    assert.equal(doc.mimeType, "video/mp4");
    const video = doc.attributes.find((a) =>
      a instanceof Api.DocumentAttributeVideo
    ) as Api.DocumentAttributeVideo;
    assert.deepEqual([video.w, video.h, video.supportsStreaming], [480, 360, true]);
    await user.updates.next("the info message says sent", botSays(/Sent \(/, { edited: true }));
    // the keyboard is gone once pressed: Telegram refuses a press on it
    await assert.rejects(user.press(info.message.id, "q:240p"), /DATA_INVALID/);

    // audio only
    await user.send(`${site.base}/page.html`);
    const info2 = await user.updates.next("the second keyboard", botSays(/Pick a quality/, { edited: true }));
    await user.press(info2.message.id, "a:mp3");
    const audio = await user.updates.next("the audio arrives", botSays(/^Test clip with sources.*\nhttp/));
    const adoc = (audio.message.media as Api.MessageMediaDocument).document as Api.Document;
    assert.equal(adoc.mimeType, "audio/mpeg");
    assert.ok(adoc.attributes.some((a) => a instanceof Api.DocumentAttributeAudio && !a.voice));

    // a page without a video
    const none = await user.send(`${site.base}/direct.html`);
    await user.updates.next("looking at the page", botSays(/^Looking at/, { replyTo: none }));
    await user.updates.next("not supported", botSays(/not supported/, { edited: true }));

    const stats = await user.send("/stats");
    const s = await user.updates.next("the /stats reply", botSays(/^Users: 1/, { replyTo: stats }));
    assert.match(s.message.message, /Downloads: 3 \(completed 2, failed 1,/);
  } finally {
    await bot.stop();
    await user.close();
    await site.close();
    await tg.close();
  }
  const store = await openBotStore(kv);
  try {
    const h = await store.downloads.list({});
    assert.deepEqual(h.map((d) => [d.status, d.format ?? null]).reverse(), [
      ["completed", "360p"],
      ["completed", "audio (mp3)"],
      ["failed", null],
    ]);
    assert.equal(h[2].size, (await Deno.stat(join(site.dir, "v360.mp4"))).size);
    assert.match(h[0].error ?? "", /Unsupported URL/i);
    // the temp folder went with the bot
    assert.equal(await Deno.stat(join(dir, "bot-tmp")).then(() => true, () => false), false);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
