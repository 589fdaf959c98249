/**
 * After the main connection dropped, the requests GramJS sends again go out one first and the
 * rest once the new connection answered: a connection that drops on the backlog then has answered
 * one of them first, and the reconnect after it goes at once (something was received), instead of
 * losing the whole backlog and backing off (quick_reconnect.ts).
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import { openFakeDcClient } from "./_open_client.ts";

Deno.test("TgClient: after a drop, one unanswered request goes out first, the rest once the new connection answered it", async () => {
  // per connection of DC 2: history requests read, and answers sent
  const read = new Map<string, number>(), answered = new Map<string, number>();
  let dropping = false;
  // set below: while dropping, each connection drops on the second history request it reads
  // (the DC draws its faults right after this log line)
  // assigned once, after the DC starts: a const would be in its TDZ when log runs before that
  // deno-lint-ignore prefer-const
  let faults: { disconnectP: number } | undefined;
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=100,files=0,forum=0,comments=0,left=0",
    basePort: 0,
    trace: true,
    log: (line) => {
      const m = /^\[dc2 (c\d+)\] (?:.*(<-) messages\.GetHistory|(->) messages\.GetHistory #\d+$)/.exec(line);
      if (m?.[2]) {
        const n = (read.get(m[1]) ?? 0) + 1;
        read.set(m[1], n);
        if (faults) faults.disconnectP = dropping && n === 2 ? 1 : 0;
      } else if (m?.[3]) answered.set(m[1], (answered.get(m[1]) ?? 0) + 1);
    },
  });
  faults = tg.faults;
  const client = await openFakeDcClient(tg, { policy: { maxRetries: 0 } });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    read.clear();
    answered.clear();
    dropping = true;
    const drops = tg.stats.faultDisconnects;
    const all = Promise.all(
      [0, 20, 40, 60, 80].map((after) => fetchHistoryPage(client, chat, { after, limit: 20 })),
    );
    try {
      while (tg.stats.faultDisconnects < drops + 4) await new Promise((r) => setTimeout(r, 5));
    } finally {
      dropping = false;
    }
    const got = await all;
    assert.deepEqual(got.map((p) => p.messages.length), [20, 20, 20, 20, 20]);
    const conns = [...read.keys()];
    const seen = JSON.stringify({ read: [...read], answered: [...answered] });
    // the first connection had all five at once; each one opened after a drop answered its first
    // request before it read (and dropped on) the second
    for (const c of conns.slice(1, 4)) assert.equal(answered.get(c), 1, `${c}: ${seen}`);
  } finally {
    await client.close();
    await tg.close();
  }
});
