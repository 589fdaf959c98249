/**
 * `tgpipe bot` as a command: without a token it is a usage error (exit 2); with TGPIPE_BOT_TOKEN it
 * connects to the fake DC, says it is ready, and --max-runtime stops it with exit 75; the token
 * never appears in the output.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test("bot: no token is exit 2; --max-runtime stops the running bot with exit 75", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1,files=0,forum=0,comments=0",
    basePort: 0,
  });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bot_cli_" });
  try {
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const none = await runCli(["bot", "--admin", "123"], { env });
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /^error: The bot needs its token: --bot-token/);
    const bad = await runCli(["bot", "--admin", "@ali"], {
      env: { ...env, TGPIPE_BOT_TOKEN: FAKE_LOGIN.bot.token },
    });
    assert.equal(bad.code, 2, bad.stderr);

    const token = FAKE_LOGIN.bot.token;
    const r = await runCli(["--json", "bot", "--max-runtime", "2s", "--rate-limit", "3/min"], {
      env: { ...env, TGPIPE_BOT_TOKEN: token },
      secrets: [token],
    });
    assert.equal(r.code, 75, r.stderr);
    const ready = r.events.find((e) => e.type === "bot_ready") as { username?: string } | undefined;
    assert.equal(ready?.username, FAKE_LOGIN.bot.username);
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), "the token is never printed");
    const settings = await runCli(["--json", "bot", "settings"], { env });
    const s = settings.events.find((e) => e.type === "result") as { data: { rate_limit_per_minute: number } };
    assert.equal(s.data.rate_limit_per_minute, 3);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
