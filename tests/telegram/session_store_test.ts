import assert from "node:assert/strict";
import { LoginRequiredError } from "../../lib/core/errors.ts";
import { deleteSession, loadSession, saveSession } from "../../lib/telegram/session_store.ts";

Deno.test("saveSession writes mode 0600 atomically and loadSession reads it back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/sub/session`;
    await saveSession(file, "1AAAsecret");
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    assert.equal(await loadSession({ file }), "1AAAsecret");
    await saveSession(file, "1BBBnewer");
    assert.equal(await loadSession({ file }), "1BBBnewer");
    assert.deepEqual([...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name), ["session"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveSession leaves no file behind when it fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/session`;
    await Deno.mkdir(file); // rename onto a directory fails after the .part was written
    await assert.rejects(() => saveSession(file, "1AAAsecret"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["session"]);
    assert.ok((await Deno.stat(file)).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveSession: runs saving at once each succeed, and the file holds one whole session", async () => {
  // two cron runs of one bot token logging in together shared `<file>.part`: one run's rename found
  // the file gone (ENOENT) and the run failed, or the file held one run's bytes over the other's
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/session`;
    const sessions = Array.from({ length: 8 }, (_, i) => `1${String(i).repeat(400 + i * 50)}`);
    await Promise.all(sessions.map((s) => saveSession(file, s)));
    assert.ok(sessions.includes(await loadSession({ file })), "one of the sessions, whole");
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["session"], "no temp file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadSession prefers the session string and says login is needed without one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/session`;
    assert.equal(await loadSession({ file, sessionString: " 1XYZ " }), "1XYZ");
    await assert.rejects(() => loadSession({ file }), LoginRequiredError);
    await Deno.writeTextFile(file, "\n");
    await assert.rejects(() => loadSession({ file }), LoginRequiredError);
    assert.equal(await deleteSession(file), true);
    assert.equal(await deleteSession(file), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadSession: a session string taken for a path too long for a file is 'login needed', never quoted", async () => {
  // a mistyped string with no "/" is one path component over the system's 255-byte limit
  const secret = "9" + "Ab+".repeat(117);
  await assert.rejects(loadSession({ file: secret }), (err: Error) => {
    assert.ok(err instanceof LoginRequiredError, String(err));
    assert.ok(!err.message.includes(secret.slice(0, 12)), err.message);
    return true;
  });
});
