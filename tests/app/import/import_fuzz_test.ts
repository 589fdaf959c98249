/**
 * A seeded fuzz of `import tdesktop` in-process: random fields of a real Desktop export replaced by
 * values of the wrong type, both layouts. Whatever the damage, the import completes (exit 0), every
 * warning is a BAD_MESSAGE, and each message is either in messages.jsonl or named as left out.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { importTdesktop } from "../../../lib/app/import/import_tdesktop.ts";
import type { EventBody } from "../../../lib/progress/events.ts";

const SAMPLE = new URL("../../../../shared/data/tdesktop/tg2md/result.json", import.meta.url).pathname;
const ROUNDS = 150;

// deno-lint-ignore no-explicit-any
type Json = any;

const JUNK: unknown[] = [
  null,
  -1,
  0,
  1.5,
  1e300,
  Number.MAX_SAFE_INTEGER + 2,
  "",
  "x",
  "99999999999999",
  "-5",
  "1969-12-31T23:59:59",
  true,
  {},
  [],
  [null],
  [null, 5],
  [{ text: {} }],
  { answers: "x" },
  { latitude: "N", longitude: 500 },
  { text: 5, type: ["bold"] },
];
const FIELDS = [
  "id",
  "date",
  "date_unixtime",
  "edited",
  "from",
  "from_id",
  "type",
  "text",
  "text_entities",
  "photo",
  "file",
  "thumbnail",
  "media_type",
  "mime_type",
  "width",
  "height",
  "duration_seconds",
  "file_size",
  "reply_to_message_id",
  "forwarded_from",
  "via_bot",
  "poll",
  "reactions",
  "location_information",
  "contact_information",
  "action",
  "actor",
  "title",
  "members",
  "message_id",
  "new_icon_emoji_id",
];

Deno.test("import tdesktop survives randomly wrong-typed fields: exit 0, only BAD_MESSAGE warnings, no message lost", async () => {
  const sample = JSON.parse(await Deno.readTextFile(SAMPLE));
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_fuzz_" });
  let seed = 19;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const exp = structuredClone(sample);
      const hits = 1 + rand(4);
      for (let h = 0; h < hits; h++) {
        const m: Json = exp.messages[rand(exp.messages.length)];
        m[FIELDS[rand(FIELDS.length)]] = structuredClone(JUNK[rand(JUNK.length)]);
      }
      const dir = join(tmp, `in${round}`);
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(exp));
      const events: EventBody[] = [];
      const out = join(tmp, `out${round}`);
      const what = `round ${round}`;
      const res = await importTdesktop(dir, {
        out,
        layout: round % 2 ? "day" : "message",
        mediaKinds: new Set(),
        emit: (e) => events.push(e),
      });
      assert.equal(res.exit_code, 0, what);
      const warnings = events.filter((e) => e.type === "warning");
      for (const w of warnings) {
        assert.ok(w.type === "warning" && w.code === "BAD_MESSAGE", JSON.stringify(w));
      }
      const leftOut = warnings.filter((w) => w.type === "warning" && w.message.includes(": left out "));
      const jsonl = join(out, "chats", String(sample.id), "messages.jsonl");
      const lines = (await Deno.readTextFile(jsonl).catch(() => "")).split("\n").filter((l) => l !== "");
      // ids can collide after damage (two messages made id 0 are both left out, two made 5 merge)
      assert.ok(lines.length + leftOut.length <= exp.messages.length, what);
      assert.ok(lines.length + leftOut.length >= exp.messages.length - hits, what);
      assert.equal(res.messages, lines.length, what);
      for (const line of lines) _assertWellTyped(JSON.parse(line), `${what}: ${line}`);
      await Deno.stat(join(out, "index.md"));
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

const isTime = (t: unknown) => Number.isSafeInteger(t) && (t as number) >= 0 && (t as number) <= 8.64e12;
const isId = (t: unknown) => Number.isSafeInteger(t) && (t as number) > 0;

/** What messages.jsonl promises whatever the input: the model's types (docs/export-format.md). */
function _assertWellTyped(m: Json, what: string): void {
  assert.ok(isId(m.id) && isTime(m.date) && typeof m.text === "string", what);
  if (m.edit_date !== undefined) assert.ok(isTime(m.edit_date), what);
  if (m.reply_to !== undefined) assert.ok(isId(m.reply_to.message_id), what);
  for (const e of m.entities ?? []) {
    assert.ok(Number.isSafeInteger(e.offset) && typeof e.type === "string", what);
  }
  if (m.poll !== undefined) {
    assert.ok(typeof m.poll.question === "string" && Array.isArray(m.poll.answers), what);
    for (const a of m.poll.answers) assert.ok(typeof a.text === "string", what);
  }
  for (const r of m.reactions ?? []) assert.ok(Number.isFinite(r.count), what);
  if (m.location !== undefined) {
    assert.ok(Number.isFinite(m.location.latitude) && Number.isFinite(m.location.longitude), what);
  }
  if (m.media !== undefined) {
    assert.ok(typeof m.media.kind === "string", what);
    for (const k of ["width", "height", "duration", "size"]) {
      if (m.media[k] !== undefined) assert.ok(Number.isSafeInteger(m.media[k]) && m.media[k] >= 0, what);
    }
  }
  if (m.author !== undefined) {
    assert.ok(m.author.name === undefined || typeof m.author.name === "string", what);
  }
}
