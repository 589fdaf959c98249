import assert from "node:assert/strict";
import { checkCompile } from "../../scripts/check_compile.ts";

Deno.test("deno task compile embeds main.ts, lib/, workers/ and the bundled ffmpeg/ffprobe", async () => {
  const res = await checkCompile();
  assert.deepEqual(res.problems, []);
  assert.equal(res.ok, true);
  for (const e of ["lib", "main.ts", "workers", "node_modules"]) assert.ok(res.entries.includes(e), e);
  assert.equal(res.bundled.length, 2);
  // ffmpeg (68 MB) + ffprobe (79 MB) alone make the binary this big.
  assert.ok(res.outputBytes > 140e6, `output is only ${res.outputBytes} bytes`);
});
