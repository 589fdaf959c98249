import assert from "node:assert/strict";
import { join } from "node:path";
import { dedupMedia } from "../../lib/media/dedup.ts";
import { JsonDedupIndex } from "../../lib/media/json_dedup_index.ts";

Deno.test("JsonDedupIndex persists relative paths across runs, written atomically", async () => {
  const root = await Deno.makeTempDir();
  try {
    const file = join(root, ".tgpipe/media-index.json");
    await Deno.mkdir(join(root, "a"));
    await Deno.mkdir(join(root, "b"));
    await Deno.writeTextFile(join(root, "a/x.jpg"), "same");
    await Deno.writeTextFile(join(root, "b/y.jpg"), "same");
    const first = await JsonDedupIndex.open(root, file);
    assert.equal((await dedupMedia(join(root, "a/x.jpg"), { index: first })).duplicate, false);
    await first.flush();
    const doc = JSON.parse(await Deno.readTextFile(file));
    assert.deepEqual(Object.values(doc.files), ["a/x.jpg"]);
    assert.equal((await Array.fromAsync(Deno.readDir(join(root, ".tgpipe")))).length, 1, "no .part left");

    // a later run (a new index object) finds the stored copy and links to it
    const second = await JsonDedupIndex.open(root, file);
    const r = await dedupMedia(join(root, "b/y.jpg"), { index: second });
    assert.equal(r.duplicate, true);
    assert.equal(r.canonical, join(root, "a/x.jpg"));
    await assert.rejects(Deno.stat(join(root, "b/y.jpg")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("JsonDedupIndex treats a damaged index file as empty", async () => {
  const root = await Deno.makeTempDir();
  try {
    const file = join(root, "index.json");
    await Deno.writeTextFile(file, "{ not json");
    const index = await JsonDedupIndex.open(root, file);
    assert.equal(index.size, 0);
    await index.set("0".repeat(64), join(root, "m.bin"));
    await index.flush();
    assert.equal(JSON.parse(await Deno.readTextFile(file)).files["0".repeat(64)], "m.bin");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
