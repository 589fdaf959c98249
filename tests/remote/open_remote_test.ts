import assert from "node:assert/strict";
import { checkRcloneVersion, isRcloneTarget, openRemote } from "../../lib/remote/open_remote.ts";
import { LocalRemote } from "../../lib/remote/local_remote.ts";
import { TgpipeError } from "../../lib/core/errors.ts";

Deno.test("open remote: name:path and connection strings are rclone's; paths and drive letters are folders", () => {
  for (const t of ["gdrive:", "gdrive:backup/x", ":sftp,host=h:dir", "my remote:a"]) {
    assert.equal(isRcloneTarget(t), true, t);
  }
  for (const t of ["/mnt/x", "./out", "out", "C:\\data", "c:/data"]) {
    assert.equal(isRcloneTarget(t), false, t);
  }
  assert.ok(openRemote("/tmp/x", {}) instanceof LocalRemote);
  assert.throws(() => openRemote("gd:x", {}), RangeError);
});

Deno.test("open remote: rclone older than 1.59 is refused with its version; newer or unknown passes", () => {
  assert.throws(
    () => checkRcloneVersion({ version: "v1.53.3-DEV", path: "/usr/bin/rclone" }),
    (e) => e instanceof TgpipeError && e.code === "TOOL_VERSION" && /1\.59 or newer/.test(e.message),
  );
  checkRcloneVersion({ version: "v1.60.1-DEV", path: "/usr/bin/rclone" });
  checkRcloneVersion({ version: "v2.0.0", path: "/x" });
  checkRcloneVersion({ version: undefined, path: "/x" });
});
