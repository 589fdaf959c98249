import assert from "node:assert/strict";
import { uploadFile } from "../../lib/engine/upload_file.ts";
import { PART_LIFETIME_MS, UploadCheckpoint } from "../../lib/engine/upload_checkpoint.ts";
import { KvPartLedger } from "../../lib/engine/kv_part_ledger.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";
import { bytesOf, memSource, testServer } from "./_upload_helpers.ts";

const MB = 1 << 20;

Deno.test("uploadFile: a stopped big upload resumes under its file id from the first missing part", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_upres_" });
  const srv = testServer();
  const data = bytesOf(14 * MB + 77, 8);
  const cp = (store: Awaited<ReturnType<typeof openProgressStore>>) =>
    new UploadCheckpoint(store, "job", "f:1", new KvPartLedger(store, "job"));
  try {
    const store = await openProgressStore(`${dir}/p.kv`);
    const stop = new AbortController();
    let saved = 0;
    const first = uploadFile(memSource(data), [srv.lane("a")], {
      item: "x",
      limits: { maxParts: 4000 },
      concurrency: 3,
      checkpoint: cp(store),
      now: () => 1_000,
      signal: stop.signal,
      // stop once 10 parts are confirmed (observed progress, not time)
      emit: (e) => {
        if (e.type === "item_progress" && e.done_bytes > 0 && ++saved === 10) stop.abort(new Error("killed"));
      },
    });
    await assert.rejects(first, /killed/);
    store.close(); // as after kill -9: only what was committed is there
    const sentBefore = srv.calls.length;
    const again = await openProgressStore(`${dir}/p.kv`);
    const src = memSource(data);
    const f = await uploadFile(src, [srv.lane("a")], {
      item: "x",
      limits: { maxParts: 4000 },
      concurrency: 3,
      checkpoint: cp(again),
      now: () => 2_000,
    });
    assert.ok(f.resumed.size >= 10, `resumed ${f.resumed.size}`);
    assert.equal(srv.calls.length - sentBefore, 29 - f.resumed.size, "only the missing parts were sent");
    assert.ok(src.opens[0] >= 10 * 512 * 1024, `read from ${src.opens[0]}`);
    assert.ok(srv.calls.every((c) => c.fileId === f.fileId), "one file id over both runs");
    assert.deepEqual(srv.take(f), data);
    // past the parts' lifetime it starts over under a new file id
    const later = await uploadFile(memSource(data), [srv.lane("a")], {
      item: "x",
      limits: { maxParts: 4000 },
      concurrency: 3,
      checkpoint: cp(again),
      now: () => 2_000 + PART_LIFETIME_MS + 1,
    });
    assert.equal(later.resumed.size, 0);
    assert.notEqual(later.fileId, f.fileId);
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("uploadFile: every part saved before (killed before the send): nothing is read or sent again", async () => {
  const store = await openProgressStore(":memory:");
  try {
    const srv = testServer();
    const data = bytesOf(11 * MB + 5, 3);
    const cp = new UploadCheckpoint(store, "job", "f:2", new KvPartLedger(store, "job"));
    const first = await uploadFile(memSource(data), [srv.lane("a")], {
      item: "x",
      limits: { maxParts: 4000 },
      concurrency: 3,
      checkpoint: cp,
      now: () => 1_000,
    });
    const sent = srv.calls.length;
    const src = memSource(data);
    const again = await uploadFile(src, [srv.lane("a")], {
      item: "x",
      limits: { maxParts: 4000 },
      concurrency: 3,
      checkpoint: cp,
      now: () => 2_000,
    });
    assert.equal(srv.calls.length, sent);
    assert.deepEqual(src.opens, []);
    assert.equal(again.fileId, first.fileId);
    assert.equal(again.size, data.length);
    assert.equal(again.parts, 23);
    assert.deepEqual(srv.take(again), data);
  } finally {
    store.close();
  }
});
