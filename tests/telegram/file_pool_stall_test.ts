/**
 * FilePool when its caller gives a request up (the engine's stall watchdog): the connection is
 * dropped only when nothing came back on it since the request went out. Dropping a connection
 * that still answered failed every other part on it, and on a busy machine the reconnects of
 * their retries outlasted the stall limit until no part completed (download_faults_test).
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

const WORLD = "gen:chats=1,messages=10,files=2,file_size=256KB,forum=0,comments=0,left=0";

Deno.test("FilePool: a given-up request keeps a connection that still answers, drops a silent one", async () => {
  // every upload.getFile stalls for 10 minutes; getFileHashes is answered at once
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "stall=1,stall_ms=600000" });
  const client = await openFakeDcClient(tg);
  const pool = new FilePool(client, { connectionsPerDc: 1, perConnection: 2 });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const f = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : [])[0];
    const dc = f.location.dcId;
    const location = inputLocation(f.location);
    const getFile = () => new Api.upload.GetFile({ location, offset: bigInt(0), limit: 4096 });
    const hashes = () => new Api.upload.GetFileHashes({ location, offset: bigInt(0) });
    await pool.call(dc, hashes()); // the one connection is open
    const served = tg.connectionCount()[dc];

    const given = new AbortController();
    const stalled = pool.call(dc, getFile(), given.signal);
    await pool.call(dc, hashes()); // answered on the same connection after the stalled one went out
    given.abort(new Error("stalled by test"));
    await assert.rejects(stalled, /stalled by test/);
    assert.equal(pool.connectionCount()[dc], 1, "a connection that answered is kept");
    assert.equal(tg.connectionCount()[dc], served, "and the DC saw no new connection");

    const silent = new AbortController();
    const rpcs = tg.stats.rpcs;
    const dead = pool.call(dc, getFile(), silent.signal);
    dead.catch(() => {});
    // given up only once the DC holds it, so nothing can have come back since it went out
    while (tg.stats.rpcs === rpcs) await new Promise((r) => setTimeout(r, 5));
    silent.abort(new Error("stalled by test"));
    await assert.rejects(dead);
    assert.equal(pool.connectionCount()[dc], 0, "a connection silent since the request went out is dropped");
  } finally {
    await pool.close();
    await client.close();
    await tg.close();
  }
});
