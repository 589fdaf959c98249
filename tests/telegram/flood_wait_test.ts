import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openFakeDcClient } from "./_open_client.ts";
import { getAccount } from "../../lib/telegram/get_account.ts";
import { listDialogs } from "../../lib/telegram/list_dialogs.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { NotFoundError } from "../../lib/core/errors.ts";
import type { EventBody } from "../../lib/progress/events.ts";

Deno.test("flood waits from the fake DC pause the client, are reported, and the listing completes", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=4,messages=20",
    faults: "rule=messages.GetHistory:2/1",
    basePort: 0,
  });
  const events: EventBody[] = [];
  try {
    const client = await openFakeDcClient(tg, {
      emit: (e) => events.push(e),
    });
    try {
      const me = await getAccount(client);
      const chats = await listDialogs(client);
      assert.ok(chats.length >= 4);
      const pauses = events.filter((e) => e.type === "pause");
      assert.ok(pauses.length >= 1, JSON.stringify(events));
      for (const p of pauses) {
        assert.ok(p.type === "pause" && p.reason === "flood_wait" && p.seconds >= 0);
        assert.equal(p.type === "pause" && p.account, client.account);
        assert.ok(!String(p.type === "pause" && p.account).includes(String(me.id)) || !me.phone_masked);
      }
      // resolution and history pages on the same client
      const first = chats.find((c) => c.kind !== "saved")!;
      const resolved = await resolveChat(client, String(first.id));
      assert.equal(resolved.peer, first.peer);
      const page = await fetchHistoryPage(client, first, { after: 0, limit: 5 });
      assert.ok(page.messages.length > 0 && page.messages.length <= 5);
      assert.ok(page.messages.every(({ message }) => message.chat_id === first.id));
      await assert.rejects(() => resolveChat(client, "@no_such_chat_here"), NotFoundError);
      await assert.rejects(() => resolveChat(client, "987654321"), NotFoundError);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});
