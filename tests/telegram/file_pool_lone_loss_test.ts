/**
 * FilePool's copy of a request lost on a connection that never answered, when nothing else is in
 * flight on a DC that has answered: it goes out after the lone timeout, not after the 2 s of grace a
 * new connection gets while its DC works through a batch's first parts (a hash request lost on a
 * migrate target's connection waited those 2 s in a faulted download of `bench faults`).
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import bigInt from "big-integer";
import { Api } from "telegram";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { listenLoopback, pipe } from "../_helpers/proxy_server.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { inputLocation } from "../../lib/telegram/file_source.ts";
import { fetchMessageFiles } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import type { EventBody } from "../../lib/progress/events.ts";

const WORLD = "gen:chats=1,messages=10,files=4,file_size=256KB,forum=0,comments=0,left=0";

Deno.test("FilePool: a request lost alone on a DC that answered is copied after the lone timeout, not the new connection's grace", async () => {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  // the media DC behind a relay that passes the first connection (the one that imports the
  // authorization) and mutes the server's bytes on every later one: requests there are never answered
  const media = tg.dcs.find((d) => d.id === 4)!;
  let connections = 0;
  const relay = listenLoopback(async (c, conns) => {
    const muted = connections++ > 0;
    const up = await Deno.connect({ hostname: media.host, port: media.port });
    conns.add(up);
    await Promise.all([pipe(c, up), pipe(up, c, muted ? () => new Uint8Array(0) : undefined)]);
  });
  const endpoints = JSON.parse(tg.env.TGPIPE_TELEGRAM_ENDPOINTS);
  endpoints.dcs["4"].port = relay.port;
  const client = await openFakeDcClient(tg, { endpoints: parseEndpoints(JSON.stringify(endpoints)) });
  const events: EventBody[] = [];
  const pool = new FilePool(client, { connectionsPerDc: 2, perConnection: 1, emit: (e) => events.push(e) });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const f = files.find((x) => x.location.dcId === 4);
    assert.ok(f, `a file on DC 4 (${files.map((x) => x.location.dcId)})`);
    const location = inputLocation(f.location);
    const hashes = () => new Api.upload.GetFileHashes({ location, offset: bigInt(0) });
    await pool.call(4, hashes()); // the first connection opens, imports and answers
    // two at once: one on the first connection, one on a new (muted) second one
    const t0 = performance.now();
    const [a, b] = await Promise.all([pool.call(4, hashes()), pool.call(4, hashes())]);
    const ms = performance.now() - t0;
    assert.ok(Array.isArray(a) && Array.isArray(b));
    assert.equal(connections, 2, "the second request went out on a second connection");
    // the lost one was copied (on a loaded machine the answered one may draw a copy of its own too)
    assert.ok(events.some((e) => e.type === "retry"), "the lost request was copied");
    // before: held by the 2 s of grace from its send (the DC's estimate here is its 400 ms floor)
    assert.ok(ms < 1800, `answered after ${Math.round(ms)} ms`);
  } finally {
    await pool.close();
    await client.close();
    await relay.close();
    await tg.close();
  }
});
