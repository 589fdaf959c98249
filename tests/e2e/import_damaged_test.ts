/**
 * `import tdesktop` on a real Desktop export with one message damaged at a time (wrong types,
 * nulls in lists, huge and negative numbers, dates out of range, missing fields): exit 0, one
 * BAD_MESSAGE warning naming the message and the field, never INTERNAL, the output complete
 * (issue #19).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_helpers/run_cli.ts";

const SAMPLE = new URL("../../../shared/data/tdesktop/tg2md/result.json", import.meta.url).pathname;

// deno-lint-ignore no-explicit-any
type Json = any;

/** One damage: the message it hits, what it does, the field the warning must name, kept or left out. */
interface Damage {
  on: number;
  field: string;
  skipped?: boolean;
  apply?: (m: Json) => void;
  /** Replaces the whole message. */
  replace?: unknown;
}

const DAMAGES: Damage[] = [
  { on: 2, field: "poll.answers", apply: (m) => (m.poll = { question: "q", answers: "x" }) },
  { on: 2, field: "poll.answers[0]", apply: (m) => (m.poll = { question: "q", answers: [null] }) },
  {
    on: 2,
    field: "poll.total_voters",
    apply: (m) => (m.poll = { question: "q", answers: [], total_voters: "9" }),
  },
  { on: 2, field: "reactions[0]", apply: (m) => (m.reactions = [null, 5]) },
  {
    on: 2,
    field: "reactions[0].count",
    apply: (m) => (m.reactions = [{ type: "emoji", emoji: "👍", count: -2 }]),
  },
  { on: 2, field: "date_unixtime", apply: (m) => (m.date_unixtime = "99999999999999") },
  { on: 2, field: "date_unixtime", apply: (m) => (m.date_unixtime = { t: 1 }) },
  {
    on: 2,
    field: "date_unixtime",
    skipped: true,
    apply: (m) => {
      m.date_unixtime = "99999999999999";
      delete m.date;
    },
  },
  { on: 2, field: "date", skipped: true, apply: (m) => delete m.date },
  { on: 2, field: "date", skipped: true, apply: (m) => (m.date = "yesterday") },
  { on: 2, field: "date", skipped: true, apply: (m) => (m.date = "1969-12-31T23:59:59") },
  { on: 2, field: "date", skipped: true, apply: (m) => (m.date = 1605185647) },
  { on: 2, field: "id", skipped: true, apply: (m) => (m.id = -2) },
  { on: 2, field: "id", skipped: true, apply: (m) => (m.id = 1e20) },
  { on: 2, field: "id", skipped: true, apply: (m) => (m.id = "2") },
  { on: 2, field: "id", skipped: true, apply: (m) => delete m.id },
  { on: 2, field: "from_id", apply: (m) => (m.from_id = { user: 1 }) },
  { on: 2, field: "reply_to_message_id", apply: (m) => (m.reply_to_message_id = "1") },
  { on: 2, field: "reply_to_message_id", apply: (m) => (m.reply_to_message_id = -7) },
  { on: 2, field: "via_bot", apply: (m) => (m.via_bot = ["bot"]) },
  {
    on: 2,
    field: "location_information.latitude",
    apply: (m) => (m.location_information = { latitude: "N" }),
  },
  {
    on: 2,
    field: "location_information.longitude",
    apply: (m) => (m.location_information = { latitude: 1 }),
  },
  { on: 2, field: "contact_information", apply: (m) => (m.contact_information = "Bob") },
  {
    on: 2,
    field: "contact_information.phone_number",
    apply: (m) => (m.contact_information = { phone_number: 5 }),
  },
  { on: 3, field: "width", apply: (m) => (m.width = "801") },
  { on: 3, field: "photo", apply: (m) => (m.photo = { path: "x" }) },
  { on: 5, field: "edited", apply: (m) => (m.edited = 12) },
  { on: 8, field: "duration_seconds", apply: (m) => (m.duration_seconds = -3) },
  { on: 8, field: "file_size", apply: (m) => (m.file_size = 1e300) },
  { on: 8, field: "media_type", apply: (m) => (m.media_type = { kind: "audio" }) },
  { on: 9, field: "text", apply: (m) => (m.text = 5) },
  { on: 9, field: "text[0]", apply: (m) => (m.text = [null, { type: "bold", text: "b" }]) },
  { on: 9, field: "text[0].text", apply: (m) => (m.text = [{ type: "bold", text: { b: 1 } }]) },
  {
    on: 9,
    field: "text_entities[0].user_id",
    apply: (m) => (m.text_entities = [{ type: "mention_name", text: "x", user_id: "abc" }]),
  },
  { on: 1, field: "members[1]", apply: (m) => (m.members = [null, {}, "Bob"]) },
  { on: 1, field: "action", apply: (m) => (m.action = 5) },
  { on: 1, field: "title", apply: (m) => (m.title = ["t"]) },
  { on: 2, field: "message", skipped: true, replace: null },
  { on: 2, field: "message", skipped: true, replace: [2, "x"] },
];

Deno.test({
  name: "import tdesktop: each damaged message gives one BAD_MESSAGE warning; the import completes",
  sanitizeOps: false,
  fn: async (t) => {
    const sample = JSON.parse(await Deno.readTextFile(SAMPLE));
    const total = sample.messages.length;
    const tmp = await Deno.makeTempDir({ prefix: "tgpipe_damaged_" });
    try {
      for (const [n, d] of DAMAGES.entries()) {
        await t.step(`message ${d.on}: ${d.field}${d.skipped ? " (left out)" : ""}`, async () => {
          const exp = structuredClone(sample);
          const target = exp.messages.findIndex((m: Json) => m.id === d.on);
          if (d.apply) d.apply(exp.messages[target]);
          else exp.messages[target] = d.replace;
          const dir = join(tmp, `in${n}`);
          const out = join(tmp, `out${n}`);
          await Deno.mkdir(dir);
          await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(exp));
          const r = await runCli(["--json", "import", "tdesktop", dir, "--out", out, "--media", "none"]);
          assert.equal(r.code, 0, r.stderr + r.stdout);
          assert.doesNotMatch(r.stdout + r.stderr, /INTERNAL/);
          const warnings = r.events.filter((e) => e.type === "warning");
          assert.equal(warnings.length, 1, JSON.stringify(warnings));
          const w = warnings[0];
          assert.ok(w.type === "warning" && w.code === "BAD_MESSAGE");
          const id = exp.messages[target]?.id;
          const name = Number.isSafeInteger(id) ? `Message ${id} ` : `Message #${target + 1} `;
          assert.ok(w.message.startsWith(name), w.message);
          assert.ok(w.message.includes(`${d.field} (`), `${w.message} names ${d.field}`);
          assert.ok(w.message.includes(d.skipped ? "left out" : "read without"), w.message);
          // the output is complete: every other message is there, nothing half-written
          const chat = join(out, "chats", String(sample.id));
          const lines = (await Deno.readTextFile(join(chat, "messages.jsonl"))).trim().split("\n");
          assert.equal(lines.length, d.skipped ? total - 1 : total);
          assert.match(await Deno.readTextFile(join(chat, "index.md")), /\S/);
          assert.match(await Deno.readTextFile(join(out, "index.md")), /\[\[chats\//);
          assert.deepEqual(await _parts(out), []);
        });
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

async function _parts(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) found.push(...await _parts(p));
    else if (e.name.endsWith(".part")) found.push(p);
  }
  return found;
}

Deno.test("import tdesktop: an unusable chat of a whole-account export fails alone (exit 3), the others complete", async () => {
  const sample = JSON.parse(await Deno.readTextFile(SAMPLE));
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_damaged_" });
  try {
    const good = { ...sample, type: "public_channel" };
    const account = {
      personal_information: { user_id: 42 },
      chats: {
        list: [
          good,
          { id: { x: 1 }, name: "bad id", messages: [] },
          { ...good, id: 77, messages: "x" },
          null,
        ],
      },
    };
    await Deno.writeTextFile(join(tmp, "result.json"), JSON.stringify(account));
    const out = join(tmp, "out");
    const r = await runCli(["--json", "import", "tdesktop", tmp, "--out", out, "--media", "none"]);
    assert.equal(r.code, 3, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /INTERNAL/);
    const failed = r.events.filter((e) => e.type === "item_failed");
    assert.deepEqual(
      failed.map((e) => e.type === "item_failed" && [e.item, e.error.code]),
      [1, 2, 3].map((i) => [`entry:result.json: chats.list[${i}]`, "BAD_CHAT"]),
    );
    const chat = join(out, "chats", String(sample.id));
    const lines = (await Deno.readTextFile(join(chat, "messages.jsonl"))).trim().split("\n");
    assert.equal(lines.length, sample.messages.length);
    assert.match(await Deno.readTextFile(join(out, "index.md")), new RegExp(`chats/${sample.id}/`));
    assert.deepEqual(await _parts(out), []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
