/**
 * FilePool's copies of unanswered reads: a request waiting behind earlier ones on a connection that
 * keeps answering them is not copied when the adaptive timeout passes (at the start of a download
 * dozens of 1 MB parts share the connections before any answer taught the timeout, and copying
 * them doubled the work). Stalled requests are still copied: download_faults_test.
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

const WORLD = "gen:chats=1,messages=10,files=4,file_size=8MB,forum=0,comments=0,left=0";
const PART = 128 * 1024;
const PARTS = 14;

Deno.test("FilePool: parts queued on a connection that keeps answering are not copied", async () => {
  let getFiles = 0;
  // 256 KB/s per connection: an answer every half second, the last one 7 s after the first request,
  // well past the 2 s the timeout starts at
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    faults: "bw=256K",
    trace: true,
    log: (line) => void (line.includes("<- upload.GetFile ") && getFiles++),
  });
  const client = await openFakeDcClient(tg);
  const events: EventBody[] = [];
  const pool = new FilePool(client, {
    connectionsPerDc: 2,
    perConnection: PARTS,
    emit: (e) => events.push(e),
  });
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const f = files.reduce((a, b) => (b.size > a.size ? b : a));
    assert.ok(f.size >= PART * PARTS, `the file has enough parts (${files.map((x) => x.size)})`);
    const location = inputLocation(f.location);
    const parts = await Promise.all(
      Array.from({ length: PARTS }, (_, i) =>
        pool.call<Api.upload.File>(
          f.location.dcId,
          new Api.upload.GetFile({ location, offset: bigInt(i * PART), limit: PART }),
        )),
    );
    assert.ok(parts.every((p) => p.bytes.length === PART));
    // before, every part past the first few was copied (12 of 14); a busy machine that stalls
    // this process for longer than the 2 s timeout may still cost a copy or two
    const copies = events.filter((e) => e.type === "retry");
    assert.ok(
      copies.length <= 2,
      `${copies.length} copies of parts the connection was still working towards`,
    );
    assert.ok(getFiles <= PARTS + 2, `the DC saw ${getFiles} requests for ${PARTS} parts`);
  } finally {
    await pool.close();
    await client.close();
    await tg.close();
  }
});
