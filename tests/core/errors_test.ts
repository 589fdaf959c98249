import assert from "node:assert/strict";
import { errnoCode, TgpipeError, toTgpipeError } from "../../lib/core/errors.ts";

Deno.test("toTgpipeError: a file system error keeps its errno name as the code; other errors are INTERNAL or USAGE", () => {
  let fsErr: unknown;
  try {
    Deno.readTextFileSync(`/nonexistent-${crypto.randomUUID()}/x`);
  } catch (err) {
    fsErr = err;
  }
  const e = toTgpipeError(fsErr);
  assert.ok(e instanceof TgpipeError);
  assert.equal(e.code, "ENOENT");
  assert.equal(errnoCode(e), "ENOENT");
  assert.equal(e.exitCode, 1);
  assert.equal(toTgpipeError(new Error("boom\nsecond line")).code, "INTERNAL");
  assert.equal(toTgpipeError(new Error("boom\nsecond line")).message, "boom");
  assert.equal(toTgpipeError(new RangeError("bad flag")).code, "USAGE");
  // a code that is not an errno name is not taken for one
  assert.equal(toTgpipeError(Object.assign(new Error("x"), { code: "ERR_SOMETHING" })).code, "INTERNAL");
});
