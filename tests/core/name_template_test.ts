import assert from "node:assert/strict";
import {
  checkTemplate,
  DEFAULT_TEMPLATE,
  type NameFields,
  renderName,
} from "../../lib/core/name_template.ts";
import { safeJoin } from "../../lib/core/safe_join.ts";

const F: NameFields = {
  chat: "News",
  chatId: 42,
  id: 7,
  date: 1700000000,
  type: "video",
  fileId: "555",
  size: 10,
  fileName: "clip.mp4",
  mimeType: "video/mp4",
};

Deno.test("renderName fills every variable", () => {
  assert.deepEqual(renderName("{chat}/{date:YYYY-MM}/{id}_{filename}", F), ["News", "2023-11", "7_clip.mp4"]);
  assert.deepEqual(renderName("{chat_id}/{type}/{name}.{ext}", F), ["42", "video", "clip.mp4"]);
  assert.deepEqual(renderName("{username}-{topic}-{file_id}-{size}", F), ["42-0-555-10"]);
  // a nameless file is named as export names it (docs/export-format.md): <kind>.<ext>
  const photo = { ...F, type: "photo", fileName: undefined, mimeType: "image/jpeg" };
  assert.deepEqual(renderName(DEFAULT_TEMPLATE, photo), ["News", "7-photo.jpg"]);
  assert.deepEqual(
    renderName("{name}.{ext}", { ...F, type: "voice", fileName: undefined, mimeType: undefined }),
    [
      "voice.ogg",
    ],
  );
});

Deno.test("renderName keeps hostile names inside the output directory", () => {
  const evil = { ...F, chat: "../../etc", fileName: "../../../.bashrc\u0000\u202e" };
  const segs = renderName("{chat}/{filename}", evil);
  for (const s of segs) assert.ok(!s.includes("/") && !s.startsWith(".") && !s.includes("\0"), s);
  assert.ok(safeJoin("/out", ...segs).startsWith("/out/"));
  assert.deepEqual(renderName("{chat}", { ...F, chat: "CON" }), ["_CON"]);
});

Deno.test("unknown template variables are usage errors", () => {
  assert.throws(() => checkTemplate("{nope}"), RangeError);
  assert.throws(() => checkTemplate("///"), RangeError);
  checkTemplate("{chat}/{date}/{id}");
});
