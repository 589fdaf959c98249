import assert from "node:assert/strict";
import { sameFile } from "../../lib/engine/same_file.ts";
import type { FileHashRange } from "../../lib/engine/file_source.ts";

async function _ranges(bytes: Uint8Array, span: number): Promise<FileHashRange[]> {
  const out: FileHashRange[] = [];
  for (let off = 0; off < bytes.length; off += span) {
    const sha256 = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice(off, off + span)));
    out.push({ offset: off, limit: span, sha256 });
  }
  return out;
}

Deno.test("sameFile: matching ranges, a changed byte, a gap, a wrong size, no ranges", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_same_" });
  try {
    const bytes = crypto.getRandomValues(new Uint8Array(1000));
    const path = `${dir}/f`;
    await Deno.writeFile(path, bytes);
    const ranges = await _ranges(bytes, 256);
    assert.equal(await sameFile(path, 1000, ranges), true);
    assert.equal(await sameFile(path, 1000, ranges.slice(1)), false, "first range missing");
    assert.equal(await sameFile(path, 1000, ranges.slice(0, -1)), false, "tail not covered");
    assert.equal(await sameFile(path, 1001, ranges), false, "size");
    assert.equal(await sameFile(path, 1000, []), false, "nothing proved");
    assert.equal(await sameFile(`${dir}/missing`, 1000, ranges), false);
    const other = bytes.slice();
    other[600] ^= 1;
    await Deno.writeFile(path, other);
    assert.equal(await sameFile(path, 1000, ranges), false, "changed byte");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
