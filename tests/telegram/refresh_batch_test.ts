/**
 * batchRefresh: the refreshes of one chat asked together go out as one lookup of every id (once
 * each), each file gets its own fresh location, a gone message fails only its file, a failed
 * lookup fails all of its files. The lookup is a function here; the fake DC run is in
 * file_source_test.ts.
 */
import assert from "node:assert/strict";
import { TelegramError } from "../../lib/core/errors.ts";
import type { ChatRef, MessageFileResult } from "../../lib/telegram/media_messages.ts";
import { batchRefresh } from "../../lib/telegram/refresh_batch.ts";
import type { RemoteFile } from "../../lib/telegram/remote_file.ts";

function _file(messageId: number, peer = "channel:7:99", key = `document:${messageId}`): RemoteFile {
  return {
    key,
    size: 10,
    location: {
      kind: "document",
      id: `${messageId}`,
      accessHash: "1",
      fileReference: "00",
      dcId: 2,
      thumbSize: "",
    },
    mediaType: "document",
    chatId: 7,
    chatPeer: peer,
    chatTitle: "c",
    messageId,
    date: 0,
    caption: "",
  };
}

/** A lookup that answers each id with its file under a new reference ("ff"), and records calls. */
function _lookup(gone: number[] = []) {
  const calls: { peer: string; ids: number[] }[] = [];
  const lookup = (chat: ChatRef, ids: number[]): Promise<MessageFileResult[]> => {
    calls.push({ peer: chat.peer, ids });
    return Promise.resolve(ids.map((id) => {
      if (gone.includes(id)) return { id, problem: "deleted" as const };
      const f = _file(id, chat.peer);
      return { id, file: { ...f, location: { ...f.location, fileReference: "ff" } } };
    }));
  };
  return { calls, lookup };
}

Deno.test("batchRefresh: refreshes asked together are one lookup per chat, each id once", async () => {
  const { calls, lookup } = _lookup();
  const refresh = batchRefresh(lookup, { windowMs: 0 });
  const thumb = {
    ..._file(3),
    key: "document:3:thumb:m",
    location: { ..._file(3).location, thumbSize: "m" },
  };
  const got = await Promise.all([
    refresh(_file(1)),
    refresh(_file(2)),
    refresh(_file(3)),
    refresh(thumb),
    refresh(_file(5, "channel:8:99")),
  ]);
  assert.deepEqual(calls, [{ peer: "channel:7:99", ids: [1, 2, 3] }, { peer: "channel:8:99", ids: [5] }]);
  assert.deepEqual(got.map((l) => [l.id, l.fileReference, l.thumbSize]), [
    ["1", "ff", ""],
    ["2", "ff", ""],
    ["3", "ff", ""],
    ["3", "ff", "m"],
    ["5", "ff", ""],
  ]);
  // a later refresh is a new lookup
  await refresh(_file(1));
  assert.equal(calls.length, 3);
});

Deno.test("batchRefresh: a gone message fails only its own file", async () => {
  const { lookup } = _lookup([2]);
  const refresh = batchRefresh(lookup, { windowMs: 0 });
  const [a, b] = await Promise.allSettled([refresh(_file(1)), refresh(_file(2))]);
  assert.equal(a.status, "fulfilled");
  assert.equal(b.status, "rejected");
  assert.equal(((b as PromiseRejectedResult).reason as TelegramError).rpcMessage, "MESSAGE_FILE_GONE");
});

Deno.test("batchRefresh: a failed lookup fails every file it was for", async () => {
  const err = new TelegramError(420, "FLOOD_WAIT_3", "channels.GetMessages");
  const refresh = batchRefresh(() => Promise.reject(err), { windowMs: 0 });
  const out = await Promise.allSettled([refresh(_file(1)), refresh(_file(2))]);
  assert.deepEqual(out.map((o) => o.status === "rejected" && o.reason === err), [true, true]);
});
