/**
 * `tgpipe bot` across a restart and with a music library (runBot, fake DC, GramJS user): messages
 * sent while the bot is down are answered once each after it comes back, none twice; voice notes
 * are recognised against the library (a track in it is named, one not in it is "no match"), and
 * every attempt is logged.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openBotStore } from "../../lib/store/bot/bot_store.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { makeMusicCorpus } from "../music/music_corpus.ts";
import { botMessages, botSays, startRunBot, startUserAs } from "./_bot_run_world.ts";

const WORLD = "gen:chats=1,messages=1,files=0,forum=0,comments=0";

Deno.test("bot run: a restart answers each message once; voice notes recognised and logged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_restart_" });
  const ffmpeg = await findTool("ffmpeg", {
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: "/nonexistent",
  });
  const corpus = await makeMusicCorpus({ dir: join(dir, "music"), ffmpeg, tracks: 2, library: 1 });
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const kv = join(dir, "kv.sqlite");
  const user = await startUserAs(tg);
  let bot = await startRunBot(tg, kv);
  try {
    const first = await user.send("/help");
    await user.updates.next("answered before the restart", botSays(/Send me a link/, { replyTo: first }));
    // a voice note without a library
    await user.client.sendFile(user.peer, { file: corpus.tracks[0].query, voiceNote: true });
    await user.updates.next("recognition not set up", botSays(/not set up/));
    await bot.stop();

    const down = [await user.send("/help"), await user.send("hello"), await user.send("/start")];
    bot = await startRunBot(tg, kv, { musicLibrary: corpus.libraryDir });
    for (const [i, id] of down.entries()) {
      await user.updates.next(`message ${i + 1} sent while down answered`, botSays(/./, { replyTo: id }));
    }
    const [inLib, outside] = corpus.tracks;
    await user.client.sendFile(user.peer, { file: inLib.query, voiceNote: true });
    const hit = await user.updates.next("the track is named", botSays(/^🎵/));
    assert.equal(hit.message.message, `🎵 ${inLib.title} — ${inLib.artist}`);
    await user.client.sendFile(user.peer, { file: outside.query, voiceNote: true });
    await user.updates.next("no match", botSays(/^No match/));

    const replies = botMessages(user).map((m) =>
      (m.replyTo as { replyToMsgId?: number } | undefined)?.replyToMsgId
    );
    for (const id of [first, ...down]) {
      assert.equal(replies.filter((r) => r === id).length, 1, `one reply to ${id}`);
    }
  } finally {
    await bot.stop();
    await user.close();
    await tg.close();
  }
  const store = await openBotStore(kv);
  try {
    const log = await store.recognitions.list({});
    assert.deepEqual(log.map((r) => [r.kind, r.title ?? null, r.error ?? null]).reverse(), [
      ["voice", null, "no music library"],
      ["voice", corpus.tracks[0].title, null],
      ["voice", null, null],
    ]);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
