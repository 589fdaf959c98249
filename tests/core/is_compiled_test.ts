import assert from "node:assert/strict";
import { isCompiled } from "../../lib/core/is_compiled.ts";

Deno.test("isCompiled recognises deno compile's virtual module root", () => {
  assert.equal(isCompiled("file:///tmp/deno-compile-tgpipe/lib/core/x.ts", "/usr/local/bin/tgpipe"), true);
  assert.equal(isCompiled("file:///tmp/deno-compile-tgpipe/lib/core/x.ts", ""), true);
});

Deno.test("isCompiled is false when running source files with the deno CLI", () => {
  assert.equal(isCompiled("file:///work/main/lib/core/x.ts", "/usr/bin/deno"), false);
  assert.equal(isCompiled("file:///work/main/lib/core/x.ts", "C:\\deno\\deno.exe"), false);
  assert.equal(isCompiled(), false);
});

Deno.test("isCompiled treats a non-deno executable as a compiled binary", () => {
  assert.equal(isCompiled("file:///app/main.ts", "/usr/local/bin/tgpipe"), true);
});
