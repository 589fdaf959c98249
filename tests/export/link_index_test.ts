import assert from "node:assert/strict";
import { LinkIndex } from "../../lib/export/link_index.ts";

Deno.test("LinkIndex finds the album head of every recorded id, past growth, and nothing else", () => {
  const idx = new LinkIndex();
  for (let id = 1; id <= 5000; id += 2) {
    idx.set(id, {
      id: id - (id % 10 === 3 ? 2 : 0),
      date: 1_600_000_000 + id,
      topic_id: id % 7 ? undefined : 7,
    });
  }
  assert.equal(idx.size, 2500);
  assert.deepEqual(idx.get(1), { id: 1, date: 1_600_000_001 });
  assert.deepEqual(idx.get(13), { id: 11, date: 1_600_000_013 });
  assert.deepEqual(idx.get(7), { id: 7, date: 1_600_000_007, topic_id: 7 });
  assert.deepEqual(idx.get(4999), { id: 4999, date: 1_600_004_999 });
  assert.equal(idx.get(2), undefined);
  assert.equal(idx.get(0), undefined);
  assert.equal(idx.get(5001), undefined);
});

Deno.test("LinkIndex keeps ids that arrive out of order (and a later record of the same id wins)", () => {
  const idx = new LinkIndex();
  idx.set(10, { id: 10, date: 1 });
  idx.set(20, { id: 20, date: 2 });
  idx.set(15, { id: 15, date: 3, topic_id: 4 });
  idx.set(10, { id: 9, date: 5 });
  assert.deepEqual(idx.get(15), { id: 15, date: 3, topic_id: 4 });
  assert.deepEqual(idx.get(10), { id: 9, date: 5, topic_id: undefined });
  assert.deepEqual(idx.get(20), { id: 20, date: 2 });
  assert.equal(idx.size, 4);
});
