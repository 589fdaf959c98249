import assert from "node:assert/strict";
import { probeStore } from "../../lib/store/probe_store.ts";
import { parseStoreLocation } from "../../lib/store/store_location.ts";

Deno.test("probeStore reports a writable file store and leaves no file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/progress.kv`;
    const p = await probeStore(path);
    assert.deepEqual(p, { location: path, kind: "file", writable: true });
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeStore keeps an existing store file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/progress.kv`;
    const kv = await Deno.openKv(path);
    await kv.set(["x"], 1);
    kv.close();
    assert.equal((await probeStore(path)).writable, true);
    const again = await Deno.openKv(path);
    assert.equal((await again.get(["x"])).value, 1);
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeStore refuses a missing directory unless asked to create it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/a/b/progress.kv`;
    const p = await probeStore(path);
    assert.equal(p.writable, false);
    assert.match(p.error ?? "", /Directory .*\/a\/b does not exist/);
    assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 0);
    const made = await probeStore(path, { createParent: true });
    assert.equal(made.writable, true);
    assert.equal(made.createdDir, `${dir}/a/b`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeStore reports an unwritable location without throwing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A directory where the KV file should be cannot be opened as a database.
    const p = await probeStore(dir);
    assert.equal(p.writable, false);
    assert.ok(p.error);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("probeStore accepts an in-memory store", async () => {
  assert.deepEqual(await probeStore(":memory:"), { location: ":memory:", kind: "memory", writable: true });
});

Deno.test("parseStoreLocation classifies files, URLs and memory", () => {
  assert.deepEqual(parseStoreLocation("https://kv.example/db"), {
    location: "https://kv.example/db",
    kind: "remote",
  });
  assert.equal(parseStoreLocation(":memory:").kind, "memory");
  assert.equal(parseStoreLocation("progress.kv").dir, ".");
  assert.equal(parseStoreLocation("/progress.kv").dir, "/");
  assert.equal(parseStoreLocation("/a/b/progress.kv").dir, "/a/b");
  assert.throws(() => parseStoreLocation(""), RangeError);
});
