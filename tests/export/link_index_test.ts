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

Deno.test("LinkIndex: past many chunks, and values that do not fit 32 bits, all come back as recorded", () => {
  const idx = new LinkIndex();
  const n = 3 * 8192 + 17; // several chunks, the last one partial
  for (let id = 1; id <= n; id++) {
    idx.set(id, { id, date: 4_000_000_000 + (id % 1000), topic_id: id % 5 ? 1 : undefined });
  }
  // these go to the out-of-band map: a date past 2106, a negative topic, a fractional id
  idx.set(n + 1, { id: n + 1, date: 2 ** 32 + 5 });
  idx.set(n + 2, { id: n + 2, date: 1, topic_id: -3 });
  idx.set(n + 2.5, { id: 1, date: 1 });
  idx.set(n + 3, { id: n + 3, date: 7, topic_id: 0 });
  assert.equal(idx.size, n + 4);
  for (const id of [1, 8191, 8192, 8193, 16384, n]) {
    const want = { id, date: 4_000_000_000 + (id % 1000), ...(id % 5 ? { topic_id: 1 } : {}) };
    assert.deepEqual(idx.get(id), want, `id ${id}`);
  }
  assert.deepEqual(idx.get(n + 1), { id: n + 1, date: 2 ** 32 + 5, topic_id: undefined });
  assert.deepEqual(idx.get(n + 2), { id: n + 2, date: 1, topic_id: -3 });
  assert.deepEqual(idx.get(n + 2.5), { id: 1, date: 1, topic_id: undefined });
  assert.deepEqual(idx.get(n + 3), { id: n + 3, date: 7, topic_id: 0 });
  assert.equal(idx.get(n + 4), undefined);
});

Deno.test("LinkIndex: 100k messages of a chat (gaps, albums, topics, dates out of order) in under 700 KB, each found", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const idx = new LinkIndex();
  const want = new Map<number, { id: number; date: number; topic_id?: number }>();
  let id = 1_000;
  let date = 1_600_000_000;
  let head = { id, date };
  let topic: number | undefined;
  for (let i = 0; i < 100_000; i++) {
    id += 1 + (rnd() < 0.2 ? Math.floor(rnd() * 50) : 0); // deleted messages leave gaps
    date += Math.floor(rnd() * 120) - (rnd() < 0.05 ? 3_600 : 0); // edits and imports go back in time
    if (rnd() < 0.8) head = { id, date }; // else: the next photo of an album
    if (rnd() < 0.1) topic = rnd() < 0.3 ? undefined : 1 + Math.floor(rnd() * 1_000_000);
    const h = topic === undefined ? { ...head } : { ...head, topic_id: topic };
    idx.set(id, h);
    want.set(id, h);
  }
  assert.equal(idx.size, 100_000);
  // fixed 32-bit fields took 16 bytes a message (1.6 MB)
  assert.ok(idx.bytes <= 700_000, `${idx.bytes} bytes`);
  for (const [k, v] of want) assert.deepEqual(idx.get(k), v, `id ${k}`);
  for (let k = 900; k <= id + 2; k++) if (!want.has(k)) assert.equal(idx.get(k), undefined, `absent ${k}`);
});
