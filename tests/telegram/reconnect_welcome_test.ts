/**
 * GramJS asks users.getMe after every reconnect of the main connection; one that is still
 * unanswered when the connection drops again is sent again on the next one, beside the next
 * reconnect's own. Drops in a row piled them up: each new connection carried one more, each one
 * more request that could draw the next fault (seen in faulted exports: four on one connection).
 */
import assert from "node:assert/strict";
import { Api } from "telegram";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openFakeDcClient } from "./_open_client.ts";

Deno.test("TgClient: drops in a row leave one users.getMe of GramJS's reconnects in flight, not one per drop", async () => {
  // users.GetUsers received per connection of DC 2, and the latest connection
  const getMe = new Map<string, number>();
  let latest = "";
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=10,files=0,forum=0,comments=0,left=0",
    basePort: 0,
    trace: true,
    log: (line) => {
      const m = /^\[dc2 (c\d+)\] (?:.*(<- users\.GetUsers)|(accepted))/.exec(line);
      if (m?.[3]) latest = m[1];
      else if (m?.[2]) getMe.set(m[1], (getMe.get(m[1]) ?? 0) + 1);
    },
  });
  const client = await openFakeDcClient(tg, { policy: { maxRetries: 0 } });
  try {
    const drops = tg.stats.faultDisconnects;
    // every request drops its connection, until four drops in a row happened
    tg.faults.disconnectP = 1;
    const p = client.call(new Api.help.GetNearestDc());
    try {
      while (tg.stats.faultDisconnects < drops + 4) await new Promise((r) => setTimeout(r, 5));
    } finally {
      tg.faults.disconnectP = 0;
    }
    await p;
    // goes out after what the reconnect sent on the last connection: all of that has arrived then
    await client.call(new Api.help.GetNearestDc());
    const seen = JSON.stringify(Object.fromEntries(getMe));
    assert.equal(getMe.get(latest), 1, `users.GetUsers per connection: ${seen}, the last ${latest}`);
  } finally {
    await client.close();
    await tg.close();
  }
});
