import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { Api } from "telegram/tl/index.js";
import bigInt from "big-integer";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";

const ROOT = "../shared/data/tdesktop";

// deno-lint-ignore no-explicit-any
type Json = any;

async function exports(dir: string, depth = 3): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && /^(result|exported)\.json$/.test(e.name)) out.push(join(dir, e.name));
    else if (e.isDirectory && depth > 0) out.push(...await exports(join(dir, e.name), depth - 1));
  }
  return out;
}

/** Expected text/entities straight from the JSON, independent of the loader's code. */
function expectedText(m: Json): { text: string; ents: [string, number, number][] } {
  const parts: Json[] = m.text_entities ?? (Array.isArray(m.text) ? m.text : [m.text]);
  let text = "";
  const ents: [string, number, number][] = [];
  for (const p of parts) {
    const s = typeof p === "string" ? p : p.text;
    if (typeof p !== "string" && p.type !== "plain" && s.length) ents.push([p.type, text.length, s.length]);
    text += s;
  }
  return { text, ents };
}

const TL_TYPE: Record<string, string> = {
  MessageEntityBold: "bold",
  MessageEntityItalic: "italic",
  MessageEntityUnderline: "underline",
  MessageEntityStrike: "strikethrough",
  MessageEntitySpoiler: "spoiler",
  MessageEntityCode: "code",
  MessageEntityPre: "pre",
  MessageEntityUrl: "link",
  MessageEntityTextUrl: "text_link",
  MessageEntityMention: "mention",
  MessageEntityHashtag: "hashtag",
  MessageEntityBotCommand: "bot_command",
  MessageEntityEmail: "email",
  MessageEntityPhone: "phone",
  MessageEntityCashtag: "cashtag",
  MessageEntityMentionName: "mention_name",
  MessageEntityBlockquote: "blockquote",
  MessageEntityCustomEmoji: "custom_emoji",
};

Deno.test("every exported message is served by getHistory with text, entities, reply, forward and media", async () => {
  const world = await loadWorld(ROOT, { seed: 3 });
  const { call, key } = cluster(world);
  const me = key(world.selfUserId);
  const files = await exports(ROOT);
  const dialogs = await call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 100 });
  let checked = 0, bytesChecked = 0;
  for (const f of files) {
    const j = JSON.parse(await Deno.readTextFile(f));
    const ch = dialogs.chats.find((c: Json) => c.id.toString() === String(j.id));
    assert.ok(ch, `chat ${j.id} is in the dialogs`);
    const peer = new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash });
    const got = new Map<number, Json>();
    for (let offsetId = 0;;) {
      const r = await call(me, "messages.GetHistory", {
        peer,
        offsetId,
        limit: 100,
        addOffset: 0,
        maxId: 0,
        minId: 0,
      });
      assert.ok(r.messages.length <= 100);
      for (const m of r.messages) got.set(m.id, m);
      if (r.messages.length < 100) break;
      offsetId = r.messages.at(-1).id;
    }
    for (const m of j.messages) {
      const g = got.get(m.id);
      assert.ok(g, `message ${m.id} of ${f}`);
      const want = expectedText(m);
      if (m.type === "service") {
        assert.equal(g.className, "MessageService");
        continue;
      }
      assert.equal(g.message, want.text, `text of ${m.id}`);
      const ents = (g.entities ?? []).map((
        e: Json,
      ) => [TL_TYPE[e.className] ?? e.className, e.offset, e.length]);
      assert.deepEqual(ents, want.ents, `entities of ${m.id}`);
      assert.equal(g.replyTo?.replyToMsgId, m.reply_to_message_id, `reply of ${m.id}`);
      assert.equal(g.fwdFrom?.fromName, m.forwarded_from ?? undefined);
      if (m.edited) assert.ok(g.editDate > 0);
      if (m.via_bot) assert.ok(g.viaBotId);
      if (m.poll) assert.equal(g.media.results.totalVoters, m.poll.total_voters);
      const path = m.photo ?? m.file;
      if (path === undefined) continue;
      const doc = g.media.photo ?? g.media.document;
      assert.ok(doc, `media of ${m.id}`);
      if (m.width && g.media.photo) assert.equal(doc.sizes.at(-1).w, m.width);
      const disk = path.startsWith("(")
        ? undefined
        : await Deno.readFile(join(dirname(f), path)).catch(() => undefined);
      const size = g.media.photo ? doc.sizes.at(-1).size : Number(doc.size);
      if (!disk) {
        assert.ok(size > 0, "an omitted file still has a recorded size");
        continue;
      }
      assert.equal(size, disk.length, `size of ${path}`);
      const location = g.media.photo
        ? new Api.InputPhotoFileLocation({
          id: doc.id,
          accessHash: doc.accessHash,
          fileReference: doc.fileReference,
          thumbSize: doc.sizes.at(-1).type,
        })
        : new Api.InputDocumentFileLocation({
          id: doc.id,
          accessHash: doc.accessHash,
          fileReference: doc.fileReference,
          thumbSize: "",
        });
      const parts: Uint8Array[] = [];
      for (let off = 0; off < size; off += 512 * 1024) {
        const r = await call(
          me,
          "upload.GetFile",
          { location, offset: bigInt(off), limit: 512 * 1024 },
          doc.dcId,
        );
        parts.push(r.bytes);
      }
      const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) all.set(p, (o += p.length) - p.length);
      assert.deepEqual(all, disk, `bytes of ${path}`);
      bytesChecked++;
      checked++;
    }
    checked += j.messages.length;
  }
  assert.ok(checked > 1000 && bytesChecked > 20, `${checked} messages, ${bytesChecked} files`);
});
