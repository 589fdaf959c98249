import assert from "node:assert/strict";
import { assignDestinations } from "../../../lib/app/download/assign_destinations.ts";
import type { RemoteFile } from "../../../lib/telegram/remote_file.ts";

function _file(messageId: number, fileName: string | undefined, id = `f${messageId}`): RemoteFile {
  return {
    key: `doc:${id}`,
    chatId: 7,
    chatTitle: "chan",
    messageId,
    date: 1_700_000_000,
    fileName,
    mimeType: "video/mp4",
    mediaType: "document",
    size: 10,
    location: { id } as RemoteFile["location"],
  } as RemoteFile;
}

Deno.test("assignDestinations: names that render alike get the message id, then a counter", () => {
  const files = [_file(101, "anim.mp4"), _file(102, "anim.mp4"), _file(103, "ANIM.mp4"), _file(104, "x.mp4")];
  const items = files.map((file) => ({ item: `7/${file.messageId}`, file }));
  const got = assignDestinations(items, { out: "/o", template: "{chat}/{filename}" });
  assert.deepEqual([...got.values()], [
    "/o/chan/anim.mp4",
    "/o/chan/anim (102).mp4",
    "/o/chan/ANIM (103).mp4",
    "/o/chan/x.mp4",
  ]);
  // the same plan gives the same names again
  assert.deepEqual(assignDestinations(items, { out: "/o", template: "{chat}/{filename}" }), got);
});

Deno.test("assignDestinations: one template for every file, blank and dot names, no extension", () => {
  const files = [_file(1, "."), _file(2, ".."), _file(3, " "), _file(4, "")];
  const items = files.map((file) => ({ item: `7/${file.messageId}`, file }));
  const names = [...assignDestinations(items, { out: "/o", template: "{type}" }).values()] as string[];
  assert.equal(new Set(names).size, 4, names.join(", "));
  assert.deepEqual(names.slice(1), ["/o/document (2)", "/o/document (3)", "/o/document (4)"]);
  const again = [...assignDestinations(items, { out: "/o", template: "{filename}" }).values()] as string[];
  assert.equal(new Set(again).size, 4, again.join(", "));
});

Deno.test("assignDestinations: a suffix that is itself taken moves on to a counter", () => {
  const files = [_file(5, "a (6).txt"), _file(6, "a.txt"), _file(6, "a.txt", "other")];
  const items = files.map((file, i) => ({ item: `i${i}`, file }));
  const got = [...assignDestinations(items, { out: "/o", template: "{filename}" }).values()];
  assert.deepEqual(got, ["/o/a (6).txt", "/o/a.txt", "/o/a (6-2).txt"]);
});
