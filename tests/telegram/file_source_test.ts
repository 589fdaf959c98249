/**
 * telegramFileSource and FilePool against the fake DC: new connections answer their first
 * request (no warm-up needed), FILE_MIGRATE moves a file to another DC, FILE_REFERENCE_EXPIRED
 * refreshes the reference once for all parts in flight, getFileHashes matches the bytes.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import { createHash } from "node:crypto";
import bigInt from "big-integer";
import { Api } from "telegram";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { type TgClient } from "../../lib/telegram/client.ts";
import { connectFiles } from "../../lib/telegram/connect_files.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { inputLocation, telegramFileSource } from "../../lib/telegram/file_source.ts";
import { fetchMessageFiles, refreshFileLocation } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import type { RemoteFile } from "../../lib/telegram/remote_file.ts";
import { planParts } from "../../lib/engine/parts.ts";

const WORLD = "gen:chats=1,messages=40,files=6,file_size=3MB,forum=0,comments=0,left=0";

async function _with(
  faults: string,
  fn: (tg: FakeTelegram, client: TgClient, files: RemoteFile[]) => Promise<void>,
  clock?: () => number,
): Promise<void> {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults, clock });
  try {
    const client = await openFakeDcClient(tg);
    try {
      const chat = await resolveChat(client, "gen_channel_0");
      const ids = Array.from({ length: 40 }, (_, i) => i + 1);
      const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
      await fn(tg, client, files);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
}

async function _blob(tg: FakeTelegram, f: RemoteFile): Promise<Uint8Array> {
  const w = tg.world.files.get(BigInt(f.location.id))!;
  const blob = w.kind === "document" ? w.blob : w.sizes.at(-1)!.blob;
  return await readBlob(blob, 0, blob.size);
}

async function _fetchAll(pool: FilePool, f: RemoteFile, refresh?: () => Promise<RemoteFile["location"]>) {
  const src = telegramFileSource(pool, f, { refresh });
  const signal = new AbortController().signal;
  const parts = await Promise.all(planParts(f.size).map((p) => src.fetchPart(p, signal)));
  const out = new Uint8Array(f.size);
  let o = 0;
  for (const p of parts) (out.set(p, o), o += p.length);
  return { src, bytes: out };
}

const _doc = (files: RemoteFile[]) => files.find((f) => f.location.dcId === 4 && f.size > 1 << 20)!;

Deno.test("FilePool: every new connection answers its first request (no warm-up)", async () => {
  await _with("rtt=5", async (_tg, client, files) => {
    const f = _doc(files);
    for (let round = 0; round < 3; round++) {
      // one request per connection, no retry, a short timeout: a lost first answer fails here
      const pool = new FilePool(client, { perConnection: 1, policy: { timeoutMs: 3000, maxRetries: 0 } });
      try {
        const calls = [4, 4, 4, 4, 2, 2].map((dc, i) =>
          dc === 4
            ? pool.call(
              dc,
              new Api.upload.GetFile({
                location: inputLocation(f.location),
                offset: bigInt(0),
                limit: 4096 << i,
              }),
            )
            : pool.call(dc, new Api.help.GetNearestDc())
        );
        await Promise.all(calls);
        assert.ok(pool.connectionCount()[4] >= 2, JSON.stringify(pool.connectionCount()));
      } finally {
        await pool.close();
      }
    }
  });
});

Deno.test("telegramFileSource: FILE_MIGRATE moves the file to the DC it names", async () => {
  await _with("migrate=1", async (tg, client, files) => {
    const f = _doc(files);
    const pool = new FilePool(client);
    try {
      const { bytes } = await _fetchAll(pool, f);
      assert.deepEqual(bytes, await _blob(tg, f));
      assert.ok((pool.connectionCount()[1] ?? 0) + (pool.connectionCount()[2] ?? 0) > 0, "served elsewhere");
    } finally {
      await pool.close();
    }
  });
});

Deno.test("telegramFileSource: FILE_REFERENCE_EXPIRED refreshes once for all parts", async () => {
  // The DC's clock moves only when the test moves it: references expire without a sleep, and the
  // refreshed one cannot expire again while a busy machine is still fetching the parts with it.
  let at = Date.now();
  await _with("file_ref_ttl=1", async (tg, client, files) => {
    const f = _doc(files);
    const pool = new FilePool(client);
    try {
      at += 2100;
      let refreshes = 0;
      const { bytes } = await _fetchAll(pool, f, () => (refreshes++, refreshFileLocation(client, f)));
      assert.deepEqual(bytes, await _blob(tg, f));
      assert.equal(refreshes, 1);
    } finally {
      await pool.close();
    }
  }, () => at);
});

Deno.test("connectFiles: references that expired together are refreshed (in one batch) for every file", async () => {
  let at = Date.now();
  await _with("file_ref_ttl=1", async (tg, client, files) => {
    const access = await connectFiles(client, { connections: 2 });
    try {
      at += 2100;
      const signal = new AbortController().signal;
      // every file's first part at once: their FILE_REFERENCE_EXPIRED answers share lookups
      const got = await Promise.all(files.map(async (f) => {
        const src = access.source(f, { verify: false });
        const bytes = new Uint8Array(f.size);
        await Promise.all(
          planParts(f.size).map(async (p) => bytes.set(await src.fetchPart(p, signal), p.offset)),
        );
        return { f, bytes };
      }));
      assert.ok(got.length >= 2, `files: ${got.length}`);
      for (const { f, bytes } of got) assert.deepEqual(bytes, await _blob(tg, f), f.key);
    } finally {
      await access.close();
    }
  }, () => at);
});

Deno.test("telegramFileSource: getFileHashes cover the file and match its bytes", async () => {
  await _with("", async (tg, client, files) => {
    const f = _doc(files);
    const pool = new FilePool(client);
    try {
      const { src, bytes } = await _fetchAll(pool, f);
      const hashes = await src.hashes!(new AbortController().signal);
      assert.equal(hashes[0].offset, 0);
      const last = hashes.at(-1)!;
      assert.equal(last.offset + last.limit, f.size);
      for (const h of hashes) {
        const want = createHash("sha256").update(bytes.subarray(h.offset, h.offset + h.limit)).digest();
        assert.deepEqual(h.sha256, new Uint8Array(want), `hash at ${h.offset}`);
      }
      assert.deepEqual(bytes, await _blob(tg, f));
      assert.ok(tg.stats.getFileBytes >= f.size);
    } finally {
      await pool.close();
    }
  });
});
