import assert from "node:assert/strict";
import { extractTool } from "../../lib/tools/extract_tool.ts";

Deno.test("extractTool copies a binary into <cacheDir>/tools with mode 0755 and reuses it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-extract-" });
  try {
    const src = `${dir}/embedded-ffmpeg`;
    await Deno.writeTextFile(src, "#!/bin/sh\necho 'ffmpeg version x'\n");
    await Deno.chmod(src, 0o444);
    const cacheDir = `${dir}/cache`;
    const out = await extractTool(src, { cacheDir, name: "ffmpeg", version: "1.2/3" });
    assert.equal(out, `${cacheDir}/tools/ffmpeg-1.2_3`);
    assert.equal((await Deno.stat(out)).mode! & 0o777, 0o755);
    assert.equal(await Deno.readTextFile(out), await Deno.readTextFile(src));

    // A verified copy is reused as is (same inode), not rewritten on every run.
    const ino = (await Deno.stat(out)).ino;
    assert.equal(await extractTool(src, { cacheDir, name: "ffmpeg", version: "1.2/3" }), out);
    assert.equal((await Deno.stat(out)).ino, ino);

    // A corrupted copy of the same size is detected by its hash and replaced.
    const bad = new TextEncoder().encode(await Deno.readTextFile(src));
    bad[bad.length - 2] ^= 1;
    await Deno.writeFile(out, bad);
    await extractTool(src, { cacheDir, name: "ffmpeg", version: "1.2/3" });
    assert.equal(await Deno.readTextFile(out), await Deno.readTextFile(src));
    assert.deepEqual([...Deno.readDirSync(`${cacheDir}/tools`)].map((e) => e.name), ["ffmpeg-1.2_3"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
