import assert from "node:assert/strict";
import { parseFromFile } from "../../../lib/app/download/from_file.ts";
import { keepExt, parseInputs } from "../../../lib/app/download/download_plan.ts";
import type { RemoteFile } from "../../../lib/telegram/remote_file.ts";
import { UsageError } from "../../../lib/core/errors.ts";

Deno.test("from-file: the format is told by content (links, messages.jsonl, tdl JSON)", () => {
  assert.deepEqual(parseFromFile("# mine\n@chan\n\nhttps://t.me/chan/5\n", "f"), {
    format: "lines",
    inputs: ["@chan", "https://t.me/chan/5"],
  });
  const jsonl = [
    `{"id":1,"chat_id":77,"text":"hi"}`,
    `{"id":2,"chat_id":77,"media":{"kind":"photo","file":null}}`,
    `{"id":3,"chat_id":77,"media":{"kind":"video","file":"chats/77/media/3-a.mp4"}}`,
  ].join("\n");
  assert.deepEqual(parseFromFile(jsonl, "f"), {
    format: "tgpipe",
    messages: [{ chat: "77", messageId: 2 }, { chat: "77", messageId: 3 }],
  });
  const tdl = {
    id: 77,
    messages: [{ id: 9, type: "message", file: "a.mp4" }, { id: 8, type: "message", file: "" }],
  };
  assert.deepEqual(parseFromFile(JSON.stringify(tdl, null, 2), "f"), {
    format: "tdl",
    messages: [{ chat: "77", messageId: 9 }],
  });
});

Deno.test("from-file: errors name the file and the line once, with a short excerpt", () => {
  const cases: Array<[string, RegExp]> = [
    [
      `{"id":1,"chat_id":7,"media":{}}\n{"id":2,"chat_id":7,"media"${"x".repeat(200)}\n`,
      /^Bad --from-file f line 2: /,
    ],
    [`{"id":1,"chat_id":7}\n{"id":0,"chat_id":7}\n`, /^Bad --from-file f line 2: .*positive "id"/],
    [`{\n "id": 7,\n "messages": [\n  {"id": 1,}\n ]\n}`, /^Bad --from-file f line 4: not valid JSON/],
    [`{"id": 7, "messages": [{"id": "1"}]}`, /^Bad --from-file f messages\[0\]: /],
    [`@chan\n\nhttps://t.me/chan/abc/def/${"z".repeat(200)}\n`, /^Bad --from-file f line 3: /],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parseFromFile(text, "f"), (err: Error) => {
      assert.ok(err instanceof UsageError, String(err));
      assert.match(err.message, want);
      assert.ok(err.message.length < 200, err.message);
      return true;
    });
  }
});

Deno.test("parseInputs says a bad input once", () => {
  const bad = "https://t.me/some_chat/abc";
  assert.throws(() => parseInputs([bad]), (err: Error) => {
    assert.equal(err.message.split(bad).length - 1, 1, err.message);
    return true;
  });
});

Deno.test("keepExt: --include/--exclude by the name's extension, else the MIME type's", () => {
  const f = (fileName: string | undefined, mimeType: string) => ({ fileName, mimeType }) as RemoteFile;
  assert.equal(keepExt(f("a.MP4", "video/mp4"), { include: ["mp4"] }), true);
  assert.equal(keepExt(f(undefined, "image/jpeg"), { include: ["mp4", "jpg"] }), true);
  assert.equal(keepExt(f(undefined, "image/jpeg"), { exclude: ["jpg"] }), false);
  assert.equal(keepExt(f("r.pdf", "application/pdf"), { include: ["mp4"] }), false);
  assert.equal(keepExt(f("r.pdf", "application/pdf"), {}), true);
});
