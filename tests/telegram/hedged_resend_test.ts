/**
 * A request the fake DC never answers is sent again once the adaptive timeout passes: a file
 * part on another connection of the FilePool, a history page on the client's connection. Both
 * run with no retries and the old 60 s timeout, so only the re-sent copy can finish them; the
 * fault is switched off once the DC has swallowed the first request (progress, not time).
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import bigInt from "big-integer";
import { Api } from "telegram";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { type TgClient } from "../../lib/telegram/client.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { inputLocation } from "../../lib/telegram/file_source.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { gramOf } from "../../lib/telegram/_gram.ts";
import { fetchMessageFiles } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";

const WORLD = "gen:chats=1,messages=40,files=6,file_size=3MB,forum=0,comments=0,left=0";
/** Well under the 60 s a lost request used to cost, with room for a busy machine. */
const BOUND_MS = 30_000;

async function _with(fn: (tg: FakeTelegram, client: TgClient) => Promise<void>): Promise<void> {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  try {
    const client = await openFakeDcClient(tg, {
      policy: { maxRetries: 0 },
    });
    try {
      await fn(tg, client);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
}

/** Runs `call` while the DC answers nothing, until it has swallowed one request; then answers again. */
async function _loseFirst<T>(tg: FakeTelegram, call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const lost = tg.stats.faultTimeouts;
  tg.faults.timeoutP = 1;
  const t0 = performance.now();
  const p = call();
  try {
    while (tg.stats.faultTimeouts === lost) await new Promise((r) => setTimeout(r, 5));
  } finally {
    tg.faults.timeoutP = 0;
  }
  const value = await p;
  return { value, ms: performance.now() - t0 };
}

Deno.test("FilePool: a file part with no answer is sent again on another connection and completes", async () => {
  await _with(async (tg, client) => {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const f = files.find((x) => x.location.dcId === 2 && x.size > 1 << 20)!;
    const pool = new FilePool(client, { policy: { maxRetries: 0 } });
    const part = () =>
      pool.call<Api.upload.File>(
        2,
        new Api.upload.GetFile({ location: inputLocation(f.location), offset: bigInt(0), limit: 1 << 20 }),
      );
    try {
      await part(); // connections open and answering
      const lostBefore = tg.stats.faultTimeouts;
      const { value, ms } = await _loseFirst(tg, part);
      const world = [...tg.world.chats.values()][0].messages.find((m) => m.id === f.messageId)!.media!;
      const blob = world.kind === "document"
        ? world.doc.blob
        : world.kind === "photo"
        ? world.photo.sizes.at(-1)!.blob
        : undefined;
      assert.deepEqual(new Uint8Array(value.bytes), await readBlob(blob!, 0, 1 << 20));
      assert.equal(tg.stats.faultTimeouts, lostBefore + 1, "exactly the first request was lost");
      assert.ok(pool.connectionCount()[2] >= 2, "the copy went out on another connection");
      assert.ok(ms < BOUND_MS, `took ${Math.round(ms)} ms`);
    } finally {
      await pool.close();
    }
  });
});

Deno.test("TgClient: a history page with no answer is sent again and completes", async () => {
  await _with(async (tg, client) => {
    const chat = await resolveChat(client, "gen_channel_0");
    const first = await fetchHistoryPage(client, chat, { after: 0 });
    const { value, ms } = await _loseFirst(tg, () => fetchHistoryPage(client, chat, { after: 0 }));
    assert.deepEqual(value.messages.map((m) => m.message.id), first.messages.map((m) => m.message.id));
    assert.ok(ms < BOUND_MS, `took ${Math.round(ms)} ms`);
  });
});

Deno.test("FilePool: a lost help.getConfig answer does not hold the first file connection", async () => {
  await _with(async (tg, client) => {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const f = files.find((x) => x.location.dcId === 2)!;
    // GramJS asks for its DC list when the first file connection opens: that is the request lost
    // deno-lint-ignore no-explicit-any
    assert.equal((gramOf(client) as any)._config, undefined, "GramJS has no DC list yet");
    const pool = new FilePool(client, { policy: { maxRetries: 0 } });
    const part = () =>
      pool.call<Api.upload.File>(
        2,
        new Api.upload.GetFile({ location: inputLocation(f.location), offset: bigInt(0), limit: 128 * 1024 }),
      );
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // GramJS's own help.getConfig has no timeout: before, the part waited for it until the end
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`the first part was not answered within ${BOUND_MS} ms (help.getConfig lost)`)),
          BOUND_MS,
        );
      });
      const { value } = await Promise.race([_loseFirst(tg, part), late]);
      assert.equal(value.bytes.length, Math.min(f.size, 128 * 1024));
    } finally {
      clearTimeout(timer);
      await pool.close();
    }
  });
});
