/**
 * tgpipe's BotApi with Debian's Telethon (layer 144) as the user: Telethon writes, gets the
 * bot's keyboard pushed, presses a button, and sees the bot's edit.
 */
import assert from "node:assert/strict";
import type { BotUpdate } from "../../lib/core/bot_types.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { memoryStore, startBot } from "./_bot_harness.ts";

const PY = "/usr/bin/python3";
const hasTelethon = (() => {
  try {
    return new Deno.Command(PY, { args: ["-c", "import telethon"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();
if (!hasTelethon) console.warn("bot_telethon_test: skipped, /usr/bin/python3 has no telethon");

Deno.test({
  name: "bot: a Telethon user gets the keyboard, presses a button, sees the edit",
  ignore: !hasTelethon,
  async fn() {
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=3,files=0,forum=0,comments=0",
      basePort: 0,
    });
    const bot = await startBot(tg, memoryStore());
    try {
      const b = tg.world.users.get(FAKE_LOGIN.bot.userId)!;
      const cfg = {
        pem: tg.rsa.pem,
        fingerprint: tg.rsa.fingerprint,
        session: tg.sessionFor(),
        bot: { id: Number(b.id), access_hash: b.accessHash.toString() },
        text: "hello from telethon",
      };
      const script = new URL("../fakedc/peers/telethon_bot_user.py", import.meta.url).pathname;
      const proc = new Deno.Command(PY, {
        args: [script, JSON.stringify(cfg)],
        stdout: "piped",
        stderr: "piped",
      })
        .spawn();
      const child = proc.output().then((out) => {
        const lines = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).map((l) =>
          JSON.parse(l)
        );
        const err = lines.find((l) => l.error);
        if (!out.success || err) {
          throw new Error(
            `telethon failed: ${err?.error ?? new TextDecoder().decode(out.stderr).slice(-800)}`,
          );
        }
        return Object.fromEntries(lines.map((l) => [l.step, l]));
      });
      const isText = (t: string) => (u: BotUpdate) => u.kind === "message" && u.text === t;
      const botSide = (async () => {
        const hello = await bot.updates.next("bot receives Telethon's text", isText(cfg.text));
        await bot.api.sendText(hello.chat_id, "choose", { buttons: [[{ text: "Go", data: "go:1" }]] });
        const press = await bot.updates.next("bot receives Telethon's press", (u) => u.kind === "callback");
        assert.ok(press.kind === "callback" && press.data === "go:1");
        await bot.api.answerCallback(press.query_id, "going");
        await bot.api.editText(press.chat_id, press.message_id, "gone");
      })();
      // whichever side fails first says its step; the other is then stopped
      let steps;
      try {
        await Promise.race([botSide, child]);
        [steps] = await Promise.all([child, botSide]);
      } catch (err) {
        try {
          proc.kill();
        } catch { /* already exited */ }
        await child.catch(() => {});
        throw err;
      }
      assert.equal(steps.keyboard.text, "choose");
      assert.equal(steps.keyboard.button, "Go");
      assert.equal(steps.answer.message, "going");
      assert.equal(steps.edited.text, "gone");
    } finally {
      await bot.stop();
      await tg.close();
    }
  },
});
