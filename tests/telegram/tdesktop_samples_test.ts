/**
 * Over real sockets: every message of every sample in ../shared/data/tdesktop, served by the fake
 * DC and read back through lib/telegram (listDialogs, fetchHistoryPage, historyFiles, FilePool),
 * has the exported text, entities, reply/forward data and media size, and its media bytes come
 * back identical, downloaded from whichever DC holds them.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import { dirname, join } from "node:path";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { listDialogs } from "../../lib/telegram/list_dialogs.ts";
import { fetchHistoryPage } from "../../lib/telegram/history_page.ts";
import { historyFiles } from "../../lib/telegram/media_messages.ts";
import { connectFiles } from "../../lib/telegram/connect_files.ts";
import { downloadFile } from "../../lib/engine/download_file.ts";
import type { Message } from "../../lib/core/message.ts";
import { readTdesktopExport } from "../../lib/export/tdesktop_reader.ts";
import type { RemoteFile } from "../../lib/telegram/remote_file.ts";

const ROOT = new URL("../../../shared/data/tdesktop", import.meta.url).pathname;
/** Every entity kind with its fields, as Telegram Desktop writes them (tests/export/fixtures). */
const FIXTURE = new URL("../export/fixtures/tdesktop_entities", import.meta.url).pathname;

// deno-lint-ignore no-explicit-any
type Json = any;

async function _exports(dir: string, depth = 3): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && /^(result|exported)\.json$/.test(e.name)) out.push(join(dir, e.name));
    else if (e.isDirectory && depth > 0) out.push(...await _exports(join(dir, e.name), depth - 1));
  }
  return out.sort();
}

/** Text and entity ranges straight from the export JSON (Desktop's "link" is tgpipe's "url"). */
function _expected(m: Json): { text: string; ents: Array<[string, number, number]> } {
  const parts: Json[] = m.text_entities ?? (Array.isArray(m.text) ? m.text : [m.text]);
  let text = "";
  const ents: Array<[string, number, number]> = [];
  for (const p of parts) {
    const s = typeof p === "string" ? p : p.text;
    if (typeof p !== "string" && p.type !== "plain" && s.length) {
      ents.push([p.type === "link" ? "url" : p.type, text.length, s.length]);
    }
    text += s;
  }
  return { text, ents };
}

Deno.test("tdesktop samples over the socket: history through lib/telegram matches the export, media bytes identical", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_samples_" });
  const tg = await startFakeTelegram({ world: ROOT, seed: 3 });
  const client = await openFakeDcClient(tg);
  const files = await connectFiles(client, { connections: 2 });
  try {
    const dialogs = await listDialogs(client, { counts: false });
    let messages = 0, compared = 0;
    const dcsUsed = new Set<number>();
    for (const f of await _exports(ROOT)) {
      const j = JSON.parse(await Deno.readTextFile(f));
      const chat = dialogs.find((d) => String(d.id) === String(j.id) || String(d.id) === `-100${j.id}`);
      assert.ok(chat, `chat ${j.id} of ${f} is in the dialogs`);
      const got = new Map<number, Message>();
      for (let after = 0;;) {
        const page = await fetchHistoryPage(client, chat, { after, limit: 100 });
        assert.ok(page.messages.length <= 100);
        for (const { message } of page.messages) got.set(message.id, message);
        if (!page.more) break;
        after = page.last;
      }
      const remote = new Map<number, RemoteFile>();
      for await (const rf of historyFiles(client, chat)) remote.set(rf.messageId, rf);

      for (const m of j.messages) {
        const g = got.get(m.id);
        assert.ok(g, `message ${m.id} of ${f}`);
        messages++;
        if (m.type === "service") {
          assert.ok(g.service, `message ${m.id} is a service message`);
          continue;
        }
        const want = _expected(m);
        assert.equal(g.text, want.text, `text of ${m.id}`);
        assert.deepEqual(
          g.entities.map((e) => [e.type, e.offset, e.length]),
          want.ents,
          `entities of ${m.id}`,
        );
        assert.equal(g.reply_to?.message_id, m.reply_to_message_id, `reply of ${m.id}`);
        assert.equal(g.forward?.from_name, m.forwarded_from ?? undefined, `forward of ${m.id}`);
        if (m.edited) assert.ok((g.edit_date ?? 0) > 0, `edit date of ${m.id}`);
        const path: string | undefined = m.photo ?? m.file;
        if (path === undefined) continue;
        assert.ok(g.media, `media of ${m.id}`);
        const disk = path.startsWith("(")
          ? undefined
          : await Deno.readFile(join(dirname(f), path)).catch(() => undefined);
        if (!disk) {
          assert.ok((g.media.size ?? 0) > 0, `an omitted file of ${m.id} still has its recorded size`);
          continue;
        }
        assert.equal(g.media.size, disk.length, `size of ${path}`);
        const rf = remote.get(m.id);
        assert.ok(rf, `historyFiles yields the file of ${m.id}`);
        assert.equal(rf.size, disk.length);
        dcsUsed.add(rf.location.dcId);
        const dest = `${tmp}/${compared}`;
        await downloadFile(files.source(rf), dest, { item: `m${m.id}`, concurrency: 2 });
        const back = await Deno.readFile(dest);
        const firstDiff = back.findIndex((b, i) => b !== disk[i]);
        assert.ok(
          back.length === disk.length && firstDiff === -1,
          `bytes of ${path} (message ${m.id}, ${disk.length} bytes, DC ${rf.location.dcId}, ${rf.location.kind}): ` +
            `got ${back.length} bytes, first difference at ${firstDiff}`,
        );
        await Deno.remove(dest);
        compared++;
      }
    }
    assert.ok(messages > 1000 && compared > 20, `${messages} messages, ${compared} files compared`);
    assert.ok(dcsUsed.size >= 2, `files came from DCs ${[...dcsUsed]}: across DCs`);
  } finally {
    await files.close();
    await client.close();
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("tdesktop entity fixture over the socket: every entity arrives whole (user_id, url, language, document_id)", async () => {
  const tg = await startFakeTelegram({ world: FIXTURE });
  const client = await openFakeDcClient(tg);
  try {
    const exp = await readTdesktopExport(FIXTURE);
    const [{ chat: want, messages }] = exp.chats;
    const chat = (await listDialogs(client, { counts: false })).find((d) => d.id === want.id);
    assert.ok(chat, `chat ${want.id} is in the dialogs`);
    const page = await fetchHistoryPage(client, chat, { after: 0, limit: 100 });
    const got = new Map(page.messages.map(({ message }) => [message.id, message]));
    assert.ok(
      messages.some((m) => m.entities.some((e) => e.type === "mention_name")),
      "the fixture has mentions",
    );
    for (const m of messages) {
      assert.equal(got.get(m.id)?.text, m.text, `text of ${m.id}`);
      assert.deepEqual(got.get(m.id)?.entities, m.entities, `entities of ${m.id}`);
    }
  } finally {
    await client.close();
    await tg.close();
  }
});
