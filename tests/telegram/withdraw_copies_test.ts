/**
 * The copies of a hedged read GramJS still holds once the call is over are taken back: before, a
 * copy the DC never answered was sent again on every reconnect for the rest of the run (seen in a
 * faulted export: one lost lookup resent on four connections in a row, each time one more request
 * that could draw a fault).
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import { withdrawCopies } from "../../lib/telegram/withdraw_copies.ts";

Deno.test("TgClient: a lost copy of an answered read is not sent again after a reconnect", async () => {
  let pages = 0;
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=40,files=0,forum=0,comments=0,left=0",
    basePort: 0,
    trace: true,
    log: (line) => void (line.includes("<- messages.GetHistory") && pages++),
  });
  const client = await openClient({
    apiId: Number(tg.env.TGPIPE_API_ID),
    apiHash: tg.env.TGPIPE_API_HASH,
    session: tg.env.TGPIPE_SESSION,
    endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
    policy: { maxRetries: 0 },
  });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    await fetchHistoryPage(client, chat, { after: 0 });
    assert.equal(pages, 1);
    // the DC swallows the next request; the copy sent after the adaptive timeout answers
    const lost = tg.stats.faultTimeouts;
    tg.faults.timeoutP = 1;
    const p = fetchHistoryPage(client, chat, { after: 10 });
    try {
      while (tg.stats.faultTimeouts === lost) await new Promise((r) => setTimeout(r, 5));
    } finally {
      tg.faults.timeoutP = 0;
    }
    await p;
    assert.equal(pages, 3, "the lost request and its copy");
    await tg.dropConnections();
    // the next call goes out on the new connection, after whatever GramJS sends again there
    await fetchHistoryPage(client, chat, { after: 20 });
    assert.equal(pages, 4, "only the new request: the lost copy was not sent again");
  } finally {
    await client.close();
    await tg.close();
  }
});

Deno.test("withdrawCopies: every state of the request leaves the queue and the pending answers, failed; others stay", async () => {
  const req = { className: "upload.GetFile" }, other = { className: "upload.GetFile" };
  const state = (request: object) => {
    const s = { request, reject: (_e: unknown) => {}, failed: false };
    s.reject = () => void (s.failed = true);
    return s;
  };
  const sent = state(req), queued = state(req), mine = state(other);
  const sender = {
    _pendingState: { _pending: new Map([["1", sent], ["2", mine]]) },
    _sendQueue: { _queue: [queued, undefined, state(other)], _pendingStates: [sent, queued, mine] },
  };
  assert.equal(withdrawCopies(sender, req, new Error("over")), 2);
  assert.deepEqual([...sender._pendingState._pending.keys()], ["2"]);
  assert.equal(sender._sendQueue._queue.filter((s) => s?.request === req).length, 0);
  assert.deepEqual(sender._sendQueue._pendingStates, [mine]);
  assert.deepEqual([sent.failed, queued.failed, mine.failed], [true, true, false]);
  await Promise.resolve();
});
