/**
 * The rclone error classifier against rclone's own output: each failure is provoked with the real
 * rclone (a missing remote, a read-only and a password-protected served sftp, --max-transfer, a
 * dead port, the server killed mid-transfer); Drive's lines, which need Google, are rclone's
 * message formats as its drive backend and cmd package print them.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../lib/core/exit_codes.ts";
import { classifyRclone, rcloneErrorLine } from "../../lib/remote/classify_rclone.ts";
import { RcloneRemote } from "../../lib/remote/rclone_remote.ts";
import {
  RemoteAuthError,
  RemoteError,
  RemoteMissingError,
  RemoteQuotaError,
} from "../../lib/remote/remote_errors.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { sectionOf, serveRemote, writeConfig } from "./_rclone_serve.ts";

const rclone = await findTool("rclone", { searchPath: Deno.env.get("PATH") ?? "", cacheDir: "/tmp" });

async function _withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_cls_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("classify: a remote missing from the config is RemoteMissingError (exit 2)", () =>
  _withDir(async (dir) => {
    const config = await writeConfig(`${dir}/rclone.conf`);
    const err = await new RcloneRemote("nosuch:backup", { rclone, config }).check().catch((e) => e);
    assert.ok(err instanceof RemoteMissingError, String(err));
    assert.equal(err.exitCode, ExitCode.USAGE);
    assert.match(err.message, /nosuch:backup is not configured/);
  }));

Deno.test("classify: a read-only served remote and a wrong password are RemoteAuthError (exit 1)", () =>
  _withDir(async (dir) => {
    const ro = await serveRemote({ kind: "sftp", root: `${dir}/ro`, readOnly: true });
    try {
      const config = await writeConfig(`${dir}/rclone.conf`, [
        await sectionOf("ro", ro),
        await sectionOf("bad", ro, "wrong"),
      ]);
      await Deno.writeTextFile(`${dir}/a.txt`, "hello");
      const w = await new RcloneRemote("ro:x", { rclone, config }).upload(`${dir}/a.txt`, "a.txt").catch((
        e,
      ) => e);
      assert.ok(w instanceof RemoteAuthError, String(w));
      assert.match(w.message, /Read only file system/);
      assert.equal(w.exitCode, ExitCode.FAILED);
      const p = await new RcloneRemote("bad:x", { rclone, config }).check().catch((e) => e);
      assert.ok(p instanceof RemoteAuthError, String(p));
      assert.match(p.message, /unable to authenticate/);
    } finally {
      await ro.stop();
    }
  }));

Deno.test("classify: --max-transfer reached is a quota (exit 75, run again)", () =>
  _withDir(async (dir) => {
    const config = await writeConfig(`${dir}/rclone.conf`);
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(1 << 20).fill(7));
    const r = new RcloneRemote(`loc:${dir}/t`, { rclone, config, flags: ["--max-transfer", "100K"] });
    const err = await r.upload(`${dir}/big.bin`, "big.bin").catch((e) => e);
    assert.ok(err instanceof RemoteQuotaError, String(err));
    assert.equal(err.exitCode, ExitCode.STOPPED);
    assert.equal(err.retryAfterS, 0);
    assert.match(err.message, /max transfer limit reached/);
  }));

Deno.test("classify: a dead port and a server killed mid-transfer are transient; after a restart it works", () =>
  _withDir(async (dir) => {
    const srv = await serveRemote({ kind: "sftp", root: `${dir}/srv`, bwlimit: "200k" });
    try {
      const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", srv)]);
      const r = new RcloneRemote("net:d", { rclone, config });
      await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(1 << 20).fill(1));
      const up = r.upload(`${dir}/big.bin`, "big.bin").catch((e) => e);
      // killed once the server has written some of the file: observed progress, not a timer
      for (;;) {
        const st = await Deno.stat(`${dir}/srv/d/big.bin`).catch(() => undefined);
        if (st && st.size > 0) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      await srv.kill();
      const err = await up;
      assert.ok(err instanceof RemoteError && err.transient, String(err));
      const refused = await r.check().catch((e) => e);
      assert.ok(refused instanceof RemoteError && refused.transient, String(refused));
      assert.match(refused.message, /connection refused/);
      await srv.restart();
      await r.upload(`${dir}/big.bin`, "big.bin");
      assert.equal((await r.stat("big.bin"))?.size, 1 << 20);
    } finally {
      await srv.stop();
    }
  }));

// Drive: rclone's drive backend and cmd/cmd.go lines, in --use-json-log form
const J = (msg: string) => JSON.stringify({ level: "error", msg, source: "operations/operations.go:538" });
const DRIVE_LIMIT = J(
  "Failed to copy: googleapi: Error 403: User rate limit exceeded., userRateLimitExceeded",
);
const FATAL = J("Fatal error received - not attempting retries");

Deno.test("classify: Drive's upload limit is a quota only when rclone made it fatal (--drive-stop-on-upload-limit)", () => {
  const quota = classifyRclone(7, `${DRIVE_LIMIT}\n${FATAL}\n`, "gdrive:");
  assert.ok(quota instanceof RemoteQuotaError, String(quota));
  assert.equal(quota.retryAfterS, 24 * 3600);
  assert.match(quota.message, /run again in 24 hours/);
  const rate = classifyRclone(1, `${DRIVE_LIMIT}\n`, "gdrive:");
  assert.ok(rate instanceof RemoteError && rate.transient, String(rate));
  const full = classifyRclone(
    1,
    J("Failed to copy: googleapi: Error 403: The user's Drive storage quota has been exceeded., storageQuotaExceeded"),
    "gdrive:",
  );
  assert.ok(full instanceof RemoteQuotaError, String(full));
  const e500 = classifyRclone(
    1,
    J("Failed to copy: googleapi: Error 500: Internal Error, internalError"),
    "gdrive:",
  );
  assert.ok(e500 instanceof RemoteError && e500.transient, String(e500));
  const token = classifyRclone(
    1,
    '2024/01/02 03:04:05 Failed to create file system for "gdrive:": couldn\'t find root directory ID: ' +
      'Get "https://www.googleapis.com/drive/v3/files/root": oauth2: cannot fetch token: 400 Bad Request\n' +
      'Response: {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}',
    "gdrive:",
  );
  assert.ok(token instanceof RemoteAuthError, String(token));
});

Deno.test("classify: the error line is the last error message, not the retry summary", () => {
  const tail = [
    J("Failed to copy: Update ReadFrom failed: connection lost"),
    JSON.stringify({
      level: "error",
      msg: "Attempt 1/1 failed with 1 errors and: x",
      source: "cmd/cmd.go:283",
    }),
    "2026/12/05 08:51:04 Failed to copyto: Update ReadFrom failed: connection lost",
  ].join("\n");
  assert.equal(rcloneErrorLine(tail), "Failed to copyto: Update ReadFrom failed: connection lost");
  const other = classifyRclone(1, J("Failed to copy: object not found"), "x:");
  assert.ok(other instanceof RemoteError && !other.transient, String(other));
});
