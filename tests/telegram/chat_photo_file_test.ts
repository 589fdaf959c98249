/**
 * Over real sockets: a chat photo change (messageActionChatEditPhoto) is a file like any photo:
 * listed with its message, refreshed by refetching that message on FILE_REFERENCE_EXPIRED, and
 * downloaded byte for byte.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import { join } from "node:path";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { SAMPLE_FORUM_ID, SAMPLE_PHOTO, writeServiceSample } from "../fakedc/_tdesktop_sample.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { telegramFileSource } from "../../lib/telegram/file_source.ts";
import { fetchMessageFiles, refreshFileLocation } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import { planParts } from "../../lib/engine/parts.ts";

Deno.test("a chat photo change downloads like any photo, its expired reference refreshed from its message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_chat_photo_" });
  await writeServiceSample(dir);
  const tg = await startFakeTelegram({ world: dir, basePort: 0, faults: "file_ref_ttl=1" });
  try {
    const client = await openFakeDcClient(tg);
    const pool = new FilePool(client);
    try {
      const chat = await resolveChat(client, `-100${SAMPLE_FORUM_ID}`);
      const [r, none] = await fetchMessageFiles(client, chat, [2, 5]);
      assert.deepEqual(none, { id: 5, problem: "no_media" });
      assert.ok("file" in r, JSON.stringify(r));
      const f = r.file;
      assert.deepEqual([f.mediaType, f.location.kind, f.mimeType], ["photo", "photo", "image/jpeg"]);
      await new Promise((ok) => setTimeout(ok, 2100));
      let refreshes = 0;
      const src = telegramFileSource(pool, f, {
        refresh: () => (refreshes++, refreshFileLocation(client, f)),
      });
      const signal = new AbortController().signal;
      const parts = await Promise.all(planParts(f.size).map((p) => src.fetchPart(p, signal)));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((o, p) => (bytes.set(p, o), o + p.length), 0);
      assert.deepEqual(bytes, await Deno.readFile(join(dir, SAMPLE_PHOTO)));
      assert.equal(refreshes, 1);
    } finally {
      await pool.close();
      await client.close();
    }
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
