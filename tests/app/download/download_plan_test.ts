import assert from "node:assert/strict";
import { checkFilter, keepFile, parseInputs } from "../../../lib/app/download/download_plan.ts";
import { UsageError } from "../../../lib/core/errors.ts";
import type { RemoteFile } from "../../../lib/telegram/remote_file.ts";

Deno.test("parseInputs reads every link form and chats", () => {
  const got = parseInputs([
    "https://t.me/durov/123",
    "t.me/c/777/5/100-120",
    "https://t.me/c/777/9",
    "https://t.me/name/100-200",
    "@channel",
    "-1001234",
  ]);
  assert.deepEqual(got.map((i) => i.kind), ["link", "link", "link", "link", "chat", "chat"]);
  const r = got[1];
  assert.ok(r.kind === "link" && r.link.topicId === 5 && r.link.from === 100 && r.link.to === 120);
});

Deno.test("parseInputs rejects foreign hosts, bad links and empty input with UsageError", () => {
  for (
    const bad of [
      "https://example.com/durov/1",
      "https://t.me/durov/0",
      "t.me/x/5-3",
      "not a chat!",
      "ftp://t.me/a/1",
    ]
  ) {
    assert.throws(() => parseInputs([bad]), UsageError, bad);
  }
  assert.throws(() => parseInputs([]), UsageError);
});

Deno.test("filters: type, size, dates, match on name and caption", () => {
  const f = {
    key: "document:1",
    size: 5 << 20,
    mediaType: "video",
    fileName: "Holiday.MP4",
    caption: "beach day",
    date: 1700000000,
  } as RemoteFile;
  const m = checkFilter({ match: "beach" });
  assert.ok(keepFile(f, { types: ["video"] }, undefined));
  assert.ok(!keepFile(f, { types: ["photo"] }, undefined));
  assert.ok(!keepFile(f, { minSize: 6 << 20 }, undefined));
  assert.ok(!keepFile(f, { maxSize: 1 << 20 }, undefined));
  assert.ok(!keepFile(f, { after: 1700000001 }, undefined));
  assert.ok(!keepFile(f, { before: 1700000000 }, undefined));
  assert.ok(keepFile(f, {}, m));
  assert.ok(keepFile(f, {}, checkFilter({ match: "^holiday\\.mp4" })));
  assert.throws(() => checkFilter({ match: "(" }), UsageError);
  assert.throws(() => checkFilter({ types: ["gif" as never] }), UsageError);
});
