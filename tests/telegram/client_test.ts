import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { getAccount } from "../../lib/telegram/get_account.ts";

Deno.test("openClient connects through the seam, getAccount answers, close leaves nothing open", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=2,messages=20", basePort: 0 });
  try {
    const client = await openClient({
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      session: tg.env.TGPIPE_SESSION,
      endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
    });
    try {
      const me = await getAccount(client);
      assert.equal(me.id, Number(tg.world.selfUserId));
      assert.equal(me.dc_id, 2);
      assert.equal(me.bot, false);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});
