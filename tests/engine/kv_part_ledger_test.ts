import assert from "node:assert/strict";
import { KvPartLedger } from "../../lib/engine/kv_part_ledger.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";

Deno.test("KvPartLedger: marks are durable once markDone resolves and share commits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openProgressStore(`${dir}/p.kv`);
    const ledger = new KvPartLedger(store, "job-1", { lingerMs: 2 });
    await Promise.all([0, 1, 5, 9, 700].map((i) => ledger.markDone("doc:1", i)));
    store.close();
    // a fresh store on the same file sees every acknowledged part (as after kill -9)
    const again = await openProgressStore(`${dir}/p.kv`);
    try {
      const loaded = await new KvPartLedger(again, "job-1").load("doc:1");
      assert.deepEqual([...loaded].sort((a, b) => a - b), [0, 1, 5, 9, 700]);
      assert.equal((await new KvPartLedger(again, "job-1").load("doc:2")).size, 0);
    } finally {
      again.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KvPartLedger: clear forgets a file's parts, later marks start a fresh set", async () => {
  const store = await openProgressStore(":memory:");
  try {
    const ledger = new KvPartLedger(store, "job-2");
    await ledger.markDone("f", 3);
    await ledger.clear("f");
    assert.equal((await ledger.load("f")).size, 0);
    await ledger.markDone("f", 4);
    assert.deepEqual([...await new KvPartLedger(store, "job-2").load("f")], [4]);
  } finally {
    store.close();
  }
});
