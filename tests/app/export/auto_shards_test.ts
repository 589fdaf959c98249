import assert from "node:assert/strict";
import { autoShards } from "../../../lib/app/export/export_chat_step.ts";

Deno.test("autoShards: one shard per 500 ids, so a small chat's pages are all in flight at once", () => {
  assert.equal(autoShards(0), 1);
  assert.equal(autoShards(100), 1);
  assert.equal(autoShards(500), 1);
  assert.equal(autoShards(501), 2);
  // the fault bench's chat: 7 shards of at most 5 pages, not 2 serial chains of 15
  assert.equal(autoShards(3006), 7);
  // big chats keep the 8 getHistory calls in flight that the fetch was measured with
  assert.equal(autoShards(4000), 8);
  assert.equal(autoShards(100_000), 8);
});
