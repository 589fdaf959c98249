import assert from "node:assert/strict";
import { join } from "node:path";
import { dedupMedia, MemoryDedupIndex } from "../../lib/media/dedup.ts";

Deno.test("identical media is stored once and every note links to the canonical copy", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = join(dir, "a.jpg"), b = join(dir, "b.jpg"), c = join(dir, "c.jpg");
    await Deno.writeTextFile(a, "same bytes");
    await Deno.writeTextFile(b, "same bytes");
    await Deno.writeTextFile(c, "other bytes");
    const index = new MemoryDedupIndex();
    const ra = await dedupMedia(a, { index });
    assert.deepEqual({ canonical: ra.canonical, duplicate: ra.duplicate }, {
      canonical: a,
      duplicate: false,
    });
    assert.match(ra.sha256, /^[0-9a-f]{64}$/);
    const rb = await dedupMedia(b, { index });
    assert.equal(rb.canonical, a);
    assert.equal(rb.duplicate, true);
    assert.equal(rb.sha256, ra.sha256);
    await assert.rejects(Deno.stat(b), Deno.errors.NotFound);
    const rc = await dedupMedia(c, { index });
    assert.equal(rc.duplicate, false);
    // Re-running on the canonical file itself is not a duplicate.
    assert.equal((await dedupMedia(a, { index })).duplicate, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dedup keeps the copy when asked, and replaces a canonical copy that was deleted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = join(dir, "a.bin"), b = join(dir, "b.bin");
    await Deno.writeTextFile(a, "x");
    await Deno.writeTextFile(b, "x");
    const index = new MemoryDedupIndex();
    await dedupMedia(a, { index });
    const kept = await dedupMedia(b, { index, keep: true });
    assert.equal(kept.duplicate, true);
    assert.ok((await Deno.stat(b)).isFile);
    await Deno.remove(a);
    const again = await dedupMedia(b, { index });
    assert.deepEqual([again.canonical, again.duplicate], [b, false]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
