import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openFakeDcClient } from "./_open_client.ts";
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { readUploadLimits } from "../../lib/telegram/upload_access.ts";
import { DEFAULT_MAX_PARTS } from "../../lib/engine/upload_plan.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { Api } from "telegram";

Deno.test("readUploadLimits: the server's part limit, the premium one for a premium account, a bot's default", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1,files=0",
    basePort: 0,
    faults: "upload_parts=5,upload_parts_premium=9",
  });
  try {
    const client = await openFakeDcClient(tg);
    try {
      assert.deepEqual(await readUploadLimits(client), { maxParts: 5 });
      tg.world.users.get(tg.world.selfUserId)!.premium = true;
      assert.deepEqual(await readUploadLimits(client), { maxParts: 9 });
    } finally {
      await client.close();
    }
    // a bot may not call help.getAppConfig (the fake DC refuses it as Telegram does): the default
    const bot = await openClient({
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      session: tg.sessionFor(FAKE_LOGIN.bot.userId),
      endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
    });
    try {
      await assert.rejects(bot.call(new Api.help.GetAppConfig({ hash: 0 })), /BOT_METHOD_INVALID/);
      assert.deepEqual(await readUploadLimits(bot), { maxParts: DEFAULT_MAX_PARTS });
    } finally {
      await bot.close();
    }
  } finally {
    await tg.close();
  }
});
