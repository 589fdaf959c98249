import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { readUploadLimits } from "../../lib/telegram/upload_access.ts";

Deno.test("readUploadLimits: the server's part limit, the premium one for a premium account", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1,files=0",
    basePort: 0,
    faults: "upload_parts=5,upload_parts_premium=9",
  });
  try {
    const client = await openClient({
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      session: tg.env.TGPIPE_SESSION,
      endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
    });
    try {
      assert.deepEqual(await readUploadLimits(client), { maxParts: 5 });
      tg.world.users.get(tg.world.selfUserId)!.premium = true;
      assert.deepEqual(await readUploadLimits(client), { maxParts: 9 });
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});
