/**
 * Over real sockets: export's page fetch (fetchHistoryPage) takes the fast decoder's path through
 * GramJS's MTProtoSender (the request's own readResult, gzip_packed answers included), and every
 * page equals what GramJS's own reading of the same request gives.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import type { Api } from "telegram";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { listDialogs } from "../../lib/telegram/list_dialogs.ts";
import { fetchHistoryPage, historyPageOf, historyPageRequest } from "../../lib/telegram/history_page.ts";
import { gramPageItems, historyDecodeStats } from "../../lib/telegram/history_answer.ts";
import type { HistoryPage } from "../../lib/telegram/history_page.ts";

/** The page without file references: the fake DC issues a fresh one on every fetch. */
function _stable(p: HistoryPage): string {
  return JSON.stringify(p, (k, v) => k === "fileReference" ? "" : v);
}

Deno.test("over the socket: history pages decode on the fast path and equal GramJS's reading of them", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=4,messages=700,files=40,photos=20,forum=1,comments=1",
    seed: 9,
  });
  const client = await openFakeDcClient(tg);
  try {
    const before = historyDecodeStats();
    let pages = 0, service = 0, messages = 0;
    for (const chat of await listDialogs(client, { counts: false })) {
      for (let after = 0;;) {
        const opts = { after, limit: 100 };
        const page = await fetchHistoryPage(client, chat, opts);
        const raw = await client.call<Api.messages.TypeMessages>(historyPageRequest(chat, opts));
        const want = historyPageOf(gramPageItems(raw, chat), chat, opts);
        assert.equal(_stable(page), _stable(want), `${chat.title}, page after ${after}`);
        pages++;
        messages += page.messages.length;
        service += page.messages.filter((m) => m.message.service).length;
        if (!page.more) break;
        after = page.last;
      }
    }
    const now = historyDecodeStats();
    assert.ok(messages > 1500, `only ${messages} messages`);
    assert.ok(service > 0, "the world's service messages (chat and topic creation) were read");
    assert.equal(now.fast - before.fast, pages, "pages decoded on the fast path");
    assert.equal(now.gramjs - before.gramjs, 0, "pages left to GramJS");
  } finally {
    await client.close();
    await tg.close();
  }
});
