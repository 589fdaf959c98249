import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Chat, Message } from "../../lib/core/message.ts";
import { MEDIA_KINDS } from "../../lib/core/message.ts";
import { ChatExporter } from "../../lib/export/chat_exporter.ts";
import type { ExportWriter, StreamFile } from "../../lib/export/export_writer.ts";
import { FsExportWriter } from "../../lib/export/fs_export_writer.ts";

/** An in-memory writer: the renderer is pure, so most tests need no disk. */
class MemWriter implements ExportWriter {
  files = new Map<string, string>();
  writeText(path: string, text: string): Promise<void> {
    this.files.set(path, text);
    return Promise.resolve();
  }
  openStream(path: string): Promise<StreamFile> {
    let buf = "";
    return Promise.resolve({
      write: (t: string) => Promise.resolve(void (buf += t)),
      commit: () => Promise.resolve(void this.files.set(path, buf)),
      abort: () => Promise.resolve(),
    });
  }
  copyFile(_source: string, path: string): Promise<number> {
    this.files.set(path, "<binary>");
    return Promise.resolve(1);
  }
}

const T0 = Date.UTC(2024, 0, 2, 10, 0, 0) / 1000;
const chat: Chat = { id: 100, kind: "channel", title: 'News: "daily" #1', username: "news" };
const msg = (id: number, extra: Partial<Message> = {}): Message => ({
  id,
  chat_id: 100,
  date: T0 + id * 60,
  text: `message ${id}`,
  entities: [],
  author: { id: 7, kind: "user", name: "Ann: *star*", username: "ann" },
  ...extra,
});
const SAMPLE: Message[] = [
  msg(1, { service: { type: "create_channel", title: "News" }, text: "" }),
  msg(2, { text: "hello *world*", entities: [{ type: "bold", offset: 0, length: 5 }], edit_date: T0 + 1000 }),
  msg(3, { reply_to: { message_id: 2, quote_text: "hello" }, reactions: [{ emoji: "👍", count: 3 }] }),
  msg(4, {
    forward: {
      from_name: "Other channel",
      from_id: 55,
      from_kind: "channel",
      channel_post: 9,
      date: T0 - 99,
    },
  }),
  msg(5, {
    grouped_id: "777",
    media: { kind: "photo", ref: "r5", width: 10, height: 20 },
    text: "album caption",
  }),
  msg(6, {
    grouped_id: "777",
    media: { kind: "video", ref: "r6", file_name: "../../evil\u0000name.mp4" },
    text: "",
  }),
  msg(7, { reply_to: { message_id: 6 }, via_bot: { username: "gif" }, comments: { count: 4 } }),
  msg(8, {
    poll: {
      question: "Yes?",
      answers: [{ text: "yes", voters: 3, chosen: true }, { text: "no", voters: 1 }],
      total_voters: 4,
      closed: true,
    },
    text: "",
  }),
  msg(9, {
    location: { latitude: 52.5, longitude: 13.4, venue: { title: "Cafe", address: "Street 1" } },
    text: "",
  }),
  msg(10, {
    media: { kind: "document", ref: "r10", file_name: "a [b] #c ^d.pdf" },
    contact: { first_name: "Bo", phone: "+1 555" },
    text: "",
  }),
  msg(11, { media: { kind: "voice", ref: "r11", duration: 3, transcript: "hi there" }, text: "" }),
  msg(12, { media: { kind: "sticker", emoji: "✨" }, text: "" }),
  msg(13, { service: { type: "pin_message", message_id: 2 }, text: "" }),
  msg(2000, { date: T0 + 86400, text: "next day", reply_to: { message_id: 3 } }),
];

async function _run(layout: "message" | "day", messages = SAMPLE): Promise<MemWriter> {
  const w = new MemWriter();
  const ex = new ChatExporter(chat, w, {
    layout,
    mediaKinds: new Set(MEDIA_KINDS),
    fetchMedia: (_m, path) => w.copyFile("", path).then(() => true),
  });
  for (const m of messages) await ex.add(m);
  await ex.finish();
  return w;
}

function _frontMatter(note: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(note);
  assert.ok(m, note);
  return parseYaml(m[1]);
}

Deno.test("exporter: message layout writes one note per message, albums grouped", async () => {
  const w = await _run("message");
  const notes = [...w.files.keys()].filter((p) => p.includes("/notes/")).sort();
  assert.deepEqual(
    notes,
    [1, 10, 11, 12, 13, 2, 2000, 3, 4, 5, 7, 8, 9].map((i) => `chats/100/notes/${i}.md`),
  );
  const album = w.files.get("chats/100/notes/5.md")!;
  const fm = _frontMatter(album);
  assert.deepEqual(fm.album, [5, 6]);
  assert.deepEqual(fm.media, ["photo", "video"]);
  assert.deepEqual(fm.media_files, ["[[chats/100/media/5-photo.jpg]]", "[[chats/100/media/6-evilname.mp4]]"]);
  assert.match(album, /!\[\[chats\/100\/media\/5-photo\.jpg\]\]/);
  // Hostile file name: sanitised into the media folder.
  assert.match(album, /!\[\[chats\/100\/media\/6-evilname\.mp4\]\]/);
  assert.ok(w.files.has("chats/100/media/6-evilname.mp4"));
  assert.ok(w.files.has("chats/100/media/10-a _b_ _c _d.pdf"));
  for (const p of w.files.keys()) assert.ok(p.startsWith("chats/100/") && !p.includes(".."), p);
});

Deno.test("exporter: front matter is flat (Properties-friendly), valid YAML, hostile strings quoted", async () => {
  const w = await _run("message");
  const fm2 = _frontMatter(w.files.get("chats/100/notes/2.md")!);
  assert.equal(fm2.id, 2);
  assert.deepEqual(fm2.aliases, ["Ann: *star* · 2024-01-02 10:02 · hello *world*"]);
  assert.equal(fm2.chat, 'News: "daily" #1');
  assert.equal(fm2.chat_id, 100);
  assert.equal(fm2.date, "2024-01-02T10:02:00Z");
  assert.equal(fm2.edit_date, "2024-01-02T10:16:40Z");
  assert.equal(fm2.author, "Ann: *star*");
  assert.equal(fm2.author_id, 7);
  assert.equal(fm2.author_username, "ann");
  const fm3 = _frontMatter(w.files.get("chats/100/notes/3.md")!);
  assert.equal(fm3.reply_to, 2);
  assert.equal(fm3.reply_to_note, "[[chats/100/notes/2]]");
  assert.deepEqual(fm3.reactions, ["👍 3"]);
  const fm4 = _frontMatter(w.files.get("chats/100/notes/4.md")!);
  assert.equal(fm4.forward_from, "Other channel");
  assert.equal(fm4.forward_from_id, 55);
  assert.equal(fm4.forward_post, 9);
  assert.equal(fm4.forward_date, "2024-01-02T09:58:21Z");
  const fm7 = _frontMatter(w.files.get("chats/100/notes/7.md")!);
  assert.equal(fm7.via_bot, "gif");
  assert.equal(fm7.comments, 4);
  const fm11 = _frontMatter(w.files.get("chats/100/notes/11.md")!);
  assert.deepEqual(fm11.media, ["voice"]);
  assert.deepEqual(fm11.media_files, ["[[chats/100/media/11-voice.ogg]]"]);
  const fm12 = _frontMatter(w.files.get("chats/100/notes/12.md")!);
  assert.deepEqual(fm12.media, ["sticker"]);
  assert.equal(fm12.media_files, undefined);
  // nothing nested: every value is a scalar or a list of scalars
  for (const [path, text] of w.files) {
    if (!path.endsWith(".md") || !path.includes("/notes/")) continue;
    for (const [k, v] of Object.entries(_frontMatter(text))) {
      const flat = (x: unknown) => x === null || typeof x !== "object";
      assert.ok(flat(v) || (Array.isArray(v) && v.every(flat)), `${path}: ${k}`);
    }
  }
});

Deno.test("exporter: hashtags become tags", async () => {
  const { frontMatterOf } = await import("../../lib/export/render_note.ts");
  const { ExportLayout } = await import("../../lib/export/export_layout.ts");
  const ctx = {
    chat,
    layout: new ExportLayout(chat, "message"),
    linkOf: () => undefined,
    mediaFileOf: () => undefined,
  };
  const text = "🎉 #release and #v2_0 and #2024";
  const fm = frontMatterOf([msg(1, {
    text,
    entities: [
      { type: "hashtag", offset: 3, length: 8 },
      { type: "hashtag", offset: 16, length: 5 },
      { type: "hashtag", offset: 26, length: 5 },
    ],
  })], ctx);
  assert.deepEqual(fm.tags, ["release", "v2_0"]);
});

Deno.test("exporter: bodies render replies, forwards, service, polls, places, contacts, comments", async () => {
  const w = await _run("message");
  const body = (id: number) =>
    w.files.get(`chats/100/notes/${id}.md`)!.replace(/^---\n[\s\S]*?\n---\n\n/, "");
  assert.equal(body(1), "*⚙️ Ann: \\*star\\* created the channel «News»*\n");
  assert.equal(body(2), "**hello** \\*world\\*\n");
  assert.equal(body(3), "↩️ Reply to [[chats/100/notes/2|message 2]]\n> hello\n\n\nmessage 3\n\n👍 3\n");
  assert.match(body(4), /^↪️ Forwarded from \*\*Other channel\*\*, post 9, 2024-01-02T09:58:21Z\n/);
  // A reply to the second photo of an album links to the album's note.
  assert.match(
    body(7),
    /^↩️ Reply to \[\[chats\/100\/notes\/5\|message 6\]\]\n🤖 via @gif\n\nmessage 7\n\n💬 4 comments\n$/,
  );
  assert.equal(
    body(8),
    "📊 **Yes?** (poll, closed, 4 voters)\n- [x] yes — 3 votes (75%)\n- [ ] no — 1 votes (25%)\n",
  );
  assert.equal(
    body(9),
    "📍 [52.5, 13.4](https://www.openstreetmap.org/?mlat=52.5&mlon=13.4)\n**Cafe**, Street 1\n",
  );
  assert.equal(
    body(10),
    "![[chats/100/media/10-a _b_ _c _d.pdf]]\n\n👤 Contact: **Bo**, [\\+1 555](tel:+1555)\n",
  );
  assert.equal(body(11), "![[chats/100/media/11-voice.ogg]]\n\n> [!transcript]-\n> hi there\n");
  assert.equal(body(12), "*\\[sticker ✨ not included\\]*\n");
  assert.equal(body(13), "*⚙️ Ann: \\*star\\* pinned [[chats/100/notes/2|message 2]]*\n");
});

Deno.test("exporter: day layout, block ids and day links", async () => {
  const w = await _run("day");
  const days = [...w.files.keys()].filter((p) => p.includes("/days/")).sort();
  assert.deepEqual(days, ["chats/100/days/2024-01-02.md", "chats/100/days/2024-01-03.md"]);
  const d1 = w.files.get(days[0])!;
  const fm = _frontMatter(d1);
  assert.equal(fm.messages, 13);
  assert.equal(fm.date, "2024-01-02");
  assert.match(d1, /### 10:02:00 · Ann: \\\*star\\\* · edited\n\n\*\*hello\*\* \\\*world\\\*\n\n\^m2\n/);
  assert.equal(d1.match(/^\^m\d+$/gm)!.length, 12);
  const d2 = w.files.get(days[1])!;
  assert.match(d2, /↩️ Reply to \[\[chats\/100\/days\/2024-01-02#\^m3\|message 3\]\]/);
  const index = w.files.get("chats/100/index.md")!;
  assert.match(index, /\[\[chats\/100\/days\/2024-01-03\|2024-01-03\]\]/);
});

Deno.test("exporter: messages.jsonl has one object per message with every field; chat.json", async () => {
  const w = await _run("message");
  const lines = w.files.get("chats/100/messages.jsonl")!.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id), SAMPLE.map((m) => m.id));
  for (const [i, l] of lines.entries()) {
    const { note, media, ...rest } = l;
    const { media: srcMedia, ...src } = SAMPLE[i];
    assert.deepEqual(rest, JSON.parse(JSON.stringify(src)));
    assert.match(note, /^chats\/100\/notes\/\d+\.md$/);
    if (srcMedia) assert.deepEqual({ ...media, file: undefined }, { ...srcMedia, file: undefined });
  }
  assert.equal(lines[5].note, "chats/100/notes/5.md");
  assert.equal(lines[5].media.file, "chats/100/media/6-evilname.mp4");
  assert.equal(lines[11].media.file, null);
  const chatJson = JSON.parse(w.files.get("chats/100/chat.json")!);
  assert.equal(chatJson.title, chat.title);
  assert.equal(chatJson.export.messages, SAMPLE.length);
  assert.equal(chatJson.export.notes, 13);
});

Deno.test("exporter: forum topics get their own folders", async () => {
  const forum: Chat = {
    id: 200,
    kind: "forum",
    title: "F",
    topics: [{ id: 1, title: "General" }, { id: 50, title: "Ideas" }],
  };
  const w = new MemWriter();
  const ex = new ChatExporter(forum, w, { layout: "day", mediaKinds: new Set() });
  await ex.add({ ...msg(51, { topic_id: 50 }), chat_id: 200 });
  await ex.add({ ...msg(52, { topic_id: 1 }), chat_id: 200 });
  await ex.add({ ...msg(53, { topic_id: 50, reply_to: { message_id: 51, topic_id: 50 } }), chat_id: 200 });
  await ex.finish();
  const day = "2024-01-02";
  assert.ok(w.files.has(`chats/200/topics/50/days/${day}.md`));
  assert.ok(w.files.has(`chats/200/topics/1/days/${day}.md`));
  assert.match(
    w.files.get(`chats/200/topics/50/days/${day}.md`)!,
    /\[\[chats\/200\/topics\/50\/days\/2024-01-02#\^m51\|message 51\]\]/,
  );
  const index = w.files.get("chats/200/index.md")!;
  assert.match(index, /\[\[chats\/200\/topics\/50\/days\/2024-01-02\|Ideas\]\] \(topic 50\)/);
  assert.match(index, /## Months\n\n- \[\[chats\/200\/topics\/50\/days\/2024-01-02\|2024-01\]\]/);
  // the notes of a folder form a chain back to the first one: none is an orphan
  const one = "chats/200/topics/1/days/2024-01-02.md";
  assert.doesNotMatch(w.files.get(one)!, /^prev:/m);
});

Deno.test("atomic writes: no .part left, no partial note after a failure", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fsw = new FsExportWriter(dir);
    // An aborted write leaves neither the note nor its .part.
    const ac = new AbortController();
    ac.abort(new Error("simulated crash"));
    await assert.rejects(
      fsw.writeText("chats/1/notes/1.md", "x".repeat(3 << 20), ac.signal),
      /simulated crash/,
    );
    assert.deepEqual(await _tree(dir), []);
    // A small note whose rename fails (a folder holds its name) leaves no .part either.
    await Deno.mkdir(join(dir, "taken.md"));
    await assert.rejects(fsw.writeText("taken.md", "x"));
    assert.deepEqual(await _tree(dir), []);
    await Deno.remove(join(dir, "taken.md"));
    // A writer that fails on the 4th note: earlier notes are whole, nothing else is visible.
    let n = 0;
    const failing: ExportWriter = {
      writeText: (p, t, s) => (++n === 4 ? Promise.reject(new Error("disk full")) : fsw.writeText(p, t, s)),
      openStream: (p) => fsw.openStream(p),
      copyFile: (a, b, s) => fsw.copyFile(a, b, s),
    };
    const ex = new ChatExporter(chat, failing, { layout: "message", mediaKinds: new Set() });
    await assert.rejects(async () => {
      for (const m of SAMPLE) await ex.add(m);
      await ex.finish();
    }, /disk full/);
    await ex.abort();
    const files = await _tree(dir);
    assert.deepEqual(files, ["chats/100/notes/1.md", "chats/100/notes/2.md", "chats/100/notes/3.md"]);
    for (const f of files) assert.match(await Deno.readTextFile(join(dir, f)), /^---\n[\s\S]+\n$/);
    // Writing outside the root is refused.
    await assert.rejects(fsw.writeText("../escape.md", "x"), RangeError);
    await assert.rejects(fsw.openStream("/etc/x"), RangeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function _tree(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(root, rel))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await _tree(root, p));
    else out.push(p);
  }
  return out.sort();
}

Deno.test("exporter: one comment is singular, none says nothing", async () => {
  const { renderMessageBody } = await import("../../lib/export/message_body.ts");
  const { ExportLayout } = await import("../../lib/export/export_layout.ts");
  const ctx = {
    chat,
    layout: new ExportLayout(chat, "message"),
    linkOf: () => undefined,
    mediaFileOf: () => undefined,
  };
  assert.equal(renderMessageBody([msg(1, { comments: { count: 1 } })], ctx), "message 1\n\n💬 1 comment\n");
  assert.equal(renderMessageBody([msg(1, { comments: { count: 0 } })], ctx), "message 1\n");
});

Deno.test("exporter: every note but the first links to the one before it; the index links every month", async () => {
  const w = await _run("message");
  const notes = [...w.files.keys()].filter((p) => p.includes("/notes/"))
    .sort((a, b) => Number(/(\d+)\.md$/.exec(a)![1]) - Number(/(\d+)\.md$/.exec(b)![1]));
  const prevOf = (p: string) => _frontMatter(w.files.get(p)!).prev;
  assert.equal(prevOf(notes[0]), undefined);
  for (let i = 1; i < notes.length; i++) assert.equal(prevOf(notes[i]), `[[${notes[i - 1].slice(0, -3)}]]`);
  assert.match(w.files.get("chats/100/index.md")!, /## Months\n\n- \[\[chats\/100\/notes\/1\|2024-01\]\]/);
  const d = await _run("day");
  const days = [...d.files.keys()].filter((p) => p.includes("/days/")).sort();
  assert.equal(_frontMatter(d.files.get(days[1])!).prev, `[[${days[0].slice(0, -3)}]]`);
});
