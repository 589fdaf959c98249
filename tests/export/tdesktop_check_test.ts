import assert from "node:assert/strict";
import { join } from "node:path";
import { checkTdesktopMessage } from "../../lib/export/tdesktop_check.ts";
import { readTdesktopExport } from "../../lib/export/tdesktop_reader.ts";

const DATA = new URL("../../../shared/data/tdesktop/", import.meta.url).pathname;

Deno.test("checkTdesktopMessage drops a wrong-typed field and keeps the rest of the message", () => {
  const r = checkTdesktopMessage({
    id: 5,
    date_unixtime: "1700000000",
    unknown_field: { kept: true },
    from: null,
    poll: { question: "q", answers: "x", total_voters: 3 },
    reactions: [null, 5, { type: "emoji", emoji: "👍", count: 2 }],
    members: [null, "Bob", 7],
  });
  assert.deepEqual(r.message, {
    id: 5,
    date_unixtime: "1700000000",
    unknown_field: { kept: true },
    from: null,
    poll: { question: "q", total_voters: 3 },
    reactions: [{ type: "emoji", emoji: "👍", count: 2 }],
    members: [null, "Bob"],
  });
  assert.deepEqual(r.problems.map((p) => p.field), [
    "poll.answers",
    "reactions[0]",
    "reactions[1]",
    "members[2]",
  ]);
  assert.equal(r.problems[0].reason, 'expected a list, got the string "x"');
});

Deno.test("checkTdesktopMessage leaves out a message without a usable id or date, and falls back to date", () => {
  const at = { date: "2020-11-12T12:54:07" };
  const cases: Array<[unknown, string]> = [
    [null, "message"],
    [[1], "message"],
    [{ id: -1, ...at }, "id"],
    [{ id: 2 ** 60, ...at }, "id"],
    [{ id: "3", ...at }, "id"],
    [{ id: 3 }, "date"],
    [{ id: 3, date: "not a date" }, "date"],
    [{ id: 3, date: "1969-12-31T23:59:59" }, "date"],
    [{ id: 3, date_unixtime: "99999999999999" }, "date_unixtime"],
    [{ id: 3, date_unixtime: 8.64e12 + 1 }, "date_unixtime"],
    [{ id: 3, date_unixtime: "-5" }, "date_unixtime"],
  ];
  for (const [raw, field] of cases) {
    const r = checkTdesktopMessage(raw);
    assert.equal(r.message, undefined, JSON.stringify(raw));
    assert.deepEqual(r.problems.map((p) => p.field), [field], JSON.stringify(raw));
  }
  // a bad unix time with a good ISO date: kept, on the ISO date
  const kept = checkTdesktopMessage({ id: 3, date_unixtime: "99999999999999", ...at });
  assert.deepEqual(kept.message, { id: 3, ...at });
  assert.deepEqual(kept.problems.map((p) => p.field), ["date_unixtime"]);
  assert.deepEqual(checkTdesktopMessage({ id: 3, date_unixtime: 8.64e12 }).problems, []);
});

Deno.test("readTdesktopExport: the real samples are clean; damaged messages and chats become warnings", async () => {
  for (const sample of ["tg2md", "tgif"]) {
    assert.deepEqual((await readTdesktopExport(join(DATA, sample))).warnings, [], sample);
  }
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_check_" });
  try {
    const ok = { id: 1, type: "message", date_unixtime: "1700000000", text: "hi" };
    await Deno.writeTextFile(
      join(dir, "result.json"),
      JSON.stringify({
        chats: {
          list: [
            null,
            { id: 7, type: "private_group", name: "G", messages: "nope" },
            {
              id: 8,
              type: "constructor",
              name: { x: 1 },
              messages: [ok, { ...ok, id: 2, media_type: "__proto__", file: "f" }, 5],
            },
            { id: [9], type: "private_group", messages: [] },
          ],
        },
      }),
    );
    const exp = await readTdesktopExport(dir);
    assert.deepEqual(
      exp.warnings.map((w) => [w.code, w.chat_id, w.entry, w.message_id, w.fields, w.skipped]),
      [
        ["BAD_CHAT", undefined, "result.json: chats.list[0]", undefined, ["chat"], true],
        ["BAD_CHAT", 7, "result.json: chats.list[1]", undefined, ["messages"], true],
        ["BAD_MESSAGE", 8, undefined, undefined, ["message"], true],
        ["BAD_CHAT", undefined, "result.json: chats.list[3]", undefined, ["id"], true],
      ],
    );
    assert.equal(
      exp.warnings[1].message,
      "Chat result.json: chats.list[1] left out: its messages (chat 7) are not a list",
    );
    assert.equal(
      exp.warnings[2].message,
      "Message #3 of chat 8 (Chat 8): left out message (expected an object, got number 5)",
    );
    assert.deepEqual(exp.chats.map((c) => c.chat.id), [8]);
    const chat8 = exp.chats.find((c) => c.chat.id === 8)!;
    assert.equal(chat8.chat.kind, "supergroup");
    assert.deepEqual(chat8.messages.map((m) => [m.id, m.media?.kind]), [[1, undefined], [2, "document"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
