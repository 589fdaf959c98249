/**
 * FilePool's retry after its request's connection dropped: it goes out again on another or a fresh
 * connection after a short backoff (CallPolicy.dropDelayMs), not the 500 ms base meant for a busy
 * server (in faulted downloads that put a part, and the flood wait it drew next, 0.5-0.75 s later).
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import bigInt from "big-integer";
import { Api } from "telegram";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { inputLocation } from "../../lib/telegram/file_source.ts";
import { fetchMessageFiles } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import type { EventBody } from "../../lib/progress/events.ts";

const WORLD = "gen:chats=1,messages=10,files=2,file_size=256KB,forum=0,comments=0,left=0";

Deno.test("FilePool: a request whose connection dropped is retried after a short backoff", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const client = await openFakeDcClient(tg);
  const events: EventBody[] = [];
  const pool = new FilePool(client, {
    connectionsPerDc: 2,
    emit: (e) => events.push(e),
    policy: { maxRetries: 1 },
  });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const f = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : [])[0];
    const location = inputLocation(f.location);
    await pool.call(f.location.dcId, new Api.upload.GetFileHashes({ location, offset: bigInt(0) }));
    // from now on the DC hangs up instead of answering: the copy replaced at once drops too, then
    // the policy's one retry backs off, and drops again
    tg.faults.disconnectP = 1;
    await assert.rejects(
      pool.call(f.location.dcId, new Api.upload.GetFileHashes({ location, offset: bigInt(0) })),
      /Connection closed|Not connected|disconnect/i,
    );
    // the backoff retries only: a copy sent for lack of an answer (a machine slow enough for the
    // adaptive timeout to pass before the hang-up is seen) is a retry event too, marked resent
    const delays = events.flatMap((e) =>
      e.type === "retry" && !(e.error.data as { resent?: boolean } | undefined)?.resent ? [e.delay_ms] : []
    );
    assert.equal(delays.length, 1, JSON.stringify(delays));
    // 100 ms plus up to 50% jitter; the 500 ms base gave 500-750
    assert.ok(delays[0] <= 150, `retried after ${delays[0]} ms`);
  } finally {
    tg.faults.disconnectP = 0;
    await pool.close();
    await client.close();
    await tg.close();
  }
});
