/**
 * FilePool at the start of a batch, when many requests arrive while the DC's connections are still
 * opening: they are spread over the connections (not queued on the first one that opened), and the
 * first answers being slow on every connection at once sends no copies (the DC is working through the
 * batch, not losing it). Counted at the fake DC (requests per connection) and in the pool's events.
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
import type { RemoteFile } from "../../lib/telegram/remote_file.ts";
import type { TgClient } from "../../lib/telegram/client.ts";
import type { EventBody } from "../../lib/progress/events.ts";

const WORLD = "gen:chats=1,messages=10,files=4,file_size=8MB,forum=0,comments=0,left=0";
const PART = 128 * 1024;

/** Runs `body` with a fake DC (`faults`), a client, the largest file, and GetFile counts per connection. */
async function withDc(
  faults: string,
  body: (c: { client: TgClient; file: RemoteFile; perConn: Map<string, number> }) => Promise<void>,
): Promise<void> {
  const perConn = new Map<string, number>();
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    faults,
    trace: true,
    log: (line) => {
      // "[dc2 c3] #<msg id> [<file id>] <- upload.GetFile (layer N)": the fake DC's trace line of a request
      const m = /^\[(dc\d+ c\d+)\] (?:#\d+ (?:\[[^\]]*\] )?)?<- upload\.GetFile /.exec(line);
      if (m) perConn.set(m[1], (perConn.get(m[1]) ?? 0) + 1);
    },
  });
  const client = await openFakeDcClient(tg);
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const file = files.reduce((a, b) => (b.size > a.size ? b : a));
    await body({ client, file, perConn });
  } finally {
    await client.close();
    await tg.close();
  }
}

function getParts(pool: FilePool, f: RemoteFile, n: number): Promise<Api.upload.File[]> {
  const location = inputLocation(f.location);
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      pool.call<Api.upload.File>(
        f.location.dcId,
        new Api.upload.GetFile({ location, offset: bigInt(i * PART), limit: PART }),
      )),
  );
}

Deno.test("FilePool: requests made while the connections open are spread over them", async () => {
  // 256 KB/s per connection: an answer every half second, so the connections still carry the first
  // requests when the last ones are sent
  await withDc("bw=256K", async ({ client, file, perConn }) => {
    const pool = new FilePool(client, { connectionsPerDc: 4, perConnection: 2 });
    try {
      const parts = await getParts(pool, file, 24);
      assert.ok(parts.every((p) => p.bytes.length === PART));
      const counts = [...perConn.values()];
      assert.equal(counts.reduce((a, b) => a + b, 0), 24, `one request per part: ${[...perConn]}`);
      assert.equal(counts.length, 4, `four connections: ${[...perConn]}`);
      // before, the first one to open took 21 of the 24 (the others one each); 6 each when even,
      // more on one that opened well before the others on a busy machine and answered meanwhile
      assert.ok(Math.max(...counts) <= 10, `requests per connection: ${[...perConn]}`);
    } finally {
      await pool.close();
    }
  });
});

Deno.test("FilePool: first answers late on every new connection are not copied", async () => {
  // 32 KB/s per connection: each connection's first (and only) part takes about 4 s, longer than
  // the timeout and the 2 s a silent new connection is given before its requests look lost
  await withDc("bw=32K", async ({ client, file, perConn }) => {
    const events: EventBody[] = [];
    const pool = new FilePool(client, { connectionsPerDc: 4, perConnection: 1, emit: (e) => events.push(e) });
    try {
      const parts = await getParts(pool, file, 4);
      assert.ok(parts.every((p) => p.bytes.length === PART));
      const copies = events.filter((e) => e.type === "retry");
      // before, every part was copied onto another connection as silent as its own (4 copies)
      assert.equal(copies.length, 0, `copies: ${JSON.stringify(copies)}`);
      assert.equal([...perConn.values()].reduce((a, b) => a + b, 0), 4, `requests: ${[...perConn]}`);
    } finally {
      await pool.close();
    }
  });
});

Deno.test("FilePool: connections silent together after their first answers get no copies", async () => {
  // each connection answers a hash request at once, then a part at 128 KB/s (about 1 s, its first
  // 64 KB after ~0.5 s): no answer anywhere on the DC for longer than the parts' timeout, which is
  // the server working, not a lost request (a DC silent for more than a few timeouts does get
  // copies: dc_busy_test)
  await withDc("bw=128K", async ({ client, file }) => {
    const events: EventBody[] = [];
    const pool = new FilePool(client, { connectionsPerDc: 4, perConnection: 2, emit: (e) => events.push(e) });
    try {
      const location = inputLocation(file.location);
      const hashes = await Promise.all(Array.from({ length: 4 }, () =>
        pool.call<Api.TypeFileHash[]>(
          file.location.dcId,
          new Api.upload.GetFileHashes({ location, offset: bigInt(0) }),
        )));
      assert.ok(hashes.every((h) => h.length > 0));
      assert.deepEqual(Object.values(pool.connectionCount()), [4], "four connections, each answered");
      const parts = await getParts(pool, file, 4);
      assert.ok(parts.every((p) => p.bytes.length === PART));
      // before, each part was copied at least once (4-8 copies); two answers arriving a moment
      // apart on a busy machine may still let one check fall between them
      const copies = events.filter((e) => e.type === "retry");
      assert.ok(copies.length <= 2, `copies: ${JSON.stringify(copies)}`);
    } finally {
      await pool.close();
    }
  });
});

Deno.test("FilePool: a part still coming in is not copied while the other connections answer", async () => {
  // 128 KB/s per connection: a 512 KB part takes about 4 s, longer than its timeout, while hash
  // requests on the other connection are answered all along
  await withDc("bw=128K", async ({ client, file }) => {
    const events: EventBody[] = [];
    const pool = new FilePool(client, { connectionsPerDc: 2, perConnection: 1, emit: (e) => events.push(e) });
    try {
      const location = inputLocation(file.location);
      const hash = () =>
        pool.call<Api.TypeFileHash[]>(
          file.location.dcId,
          new Api.upload.GetFileHashes({ location, offset: bigInt(0) }),
        );
      await Promise.all([hash(), hash()]); // both connections open and answered
      let done = false;
      const part = pool.call<Api.upload.File>(
        file.location.dcId,
        new Api.upload.GetFile({ location, offset: bigInt(0), limit: 512 * 1024 }),
      ).finally(() => (done = true));
      let hashes = 0;
      while (!done) (await hash(), hashes++);
      assert.equal((await part).bytes.length, 512 * 1024);
      assert.ok(hashes > 0, "the other connection answered meanwhile");
      // before, the part was taken for lost at each timeout its connection gave no whole answer in
      const copies = events.filter((e) => e.type === "retry");
      assert.equal(copies.length, 0, `copies: ${JSON.stringify(copies)}`);
    } finally {
      await pool.close();
    }
  });
});

Deno.test("FilePool: parts from the home DC go out without a help.getConfig first", async () => {
  const methods: string[] = [];
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    trace: true,
    log: (line) => {
      const m = /^\[dc\d+ c\d+\] (?:#\d+ (?:\[[^\]]*\] )?)?<- ([\w.]+) /.exec(line);
      if (m) methods.push(m[1]);
    },
  });
  const client = await openFakeDcClient(tg);
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const file = files.find((f) => f.location.dcId === tg.homeDcId);
    assert.ok(file, `a file on the home DC ${tg.homeDcId}: ${files.map((f) => f.location.dcId)}`);
    methods.length = 0;
    const pool = new FilePool(client, { connectionsPerDc: 2 });
    try {
      const parts = await getParts(pool, file, 2);
      assert.ok(parts.every((p) => p.bytes.length === PART));
      // before, the first connection waited one round trip for GramJS's DC list (help.getConfig)
      assert.deepEqual(methods, ["upload.GetFile", "upload.GetFile"]);
    } finally {
      await pool.close();
    }
  } finally {
    await client.close();
    await tg.close();
  }
});
