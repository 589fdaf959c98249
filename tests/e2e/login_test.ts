import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";

/** The fake DC's env without its ready-made session, so only the session file counts. */
function _env(tg: { env: Record<string, string> }): Record<string, string> {
  const { TGPIPE_SESSION: _, ...rest } = tg.env;
  return rest;
}

function _data(r: RunCliResult): Record<string, unknown> {
  const ev = r.events.find((e) => e.type === "result");
  assert.ok(ev && ev.type === "result", `no result event in ${r.stdout}\n${r.stderr}`);
  return ev.data as Record<string, unknown>;
}

async function _withWorld(
  fn: (tg: Awaited<ReturnType<typeof startFakeTelegram>>, dir: string) => Promise<void>,
) {
  const tg = await startFakeTelegram({ world: "gen:chats=3,messages=30", basePort: 0 });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_login_" });
  try {
    await fn(tg, dir);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("login by code stores a 0600 session; whoami, chats, logout, then whoami exits 4", async () => {
  await _withWorld(async (tg, dir) => {
    const file = `${dir}/session`;
    const env = _env(tg);
    const { phone, code } = FAKE_LOGIN.user;
    const login = await runCli(["--json", "--session", file, "login", "--phone", phone, "--code", code], {
      env,
    });
    assert.equal(login.code, 0, login.stderr + login.stdout);
    assert.equal(_data(login).id, Number(FAKE_LOGIN.user.userId));
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    const session = (await Deno.readTextFile(file)).trim();
    const secrets = [session, tg.env.TGPIPE_API_HASH];

    const who = await runCli(["--json", "--session", file, "whoami"], { env, secrets });
    assert.equal(who.code, 0, who.stderr);
    const me = _data(who);
    assert.equal(me.id, Number(FAKE_LOGIN.user.userId));
    assert.equal(me.bot, false);
    assert.ok(!String(me.phone_masked).includes(phone), "phone is masked");

    const chats = await runCli(["--json", "--session", file, "chats", "--limit", "2"], { env, secrets });
    assert.equal(chats.code, 0, chats.stderr);
    const list = _data(chats) as unknown as Array<
      { id: number; kind: string; title: string; message_count: number }
    >;
    assert.equal(list.length, 2);
    for (const c of list) assert.ok(c.id > 0 && c.title !== "" && c.message_count >= 0, JSON.stringify(c));
    const human = await runCli(["--session", file, "chats"], { env, secrets });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^ID\s+TYPE\s+TITLE\s+USERNAME\s+MESSAGES$/m);

    const out = await runCli(["--session", file, "logout"], { env, secrets });
    assert.equal(out.code, 0, out.stderr);
    await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound);
    const after = await runCli(["--session", file, "whoami"], { env, secrets });
    assert.equal(after.code, 4);
    assert.match(after.stderr, /^error: Not logged in/);
  });
});

Deno.test("login with 2FA: right password logs in, wrong one exits 4 and writes nothing", async () => {
  await _withWorld(async (tg, dir) => {
    const env = _env(tg);
    const { phone, code, password } = FAKE_LOGIN.twoFa;
    const bad = `${dir}/bad`;
    const wrong = await runCli(["--session", bad, "login", "--phone", phone, "--code", code], {
      env: { ...env, TGPIPE_PASSWORD: "not-the-password" },
      secrets: ["not-the-password"],
    });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.equal(wrong.stderr, "error: The 2FA password is wrong\n");
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    const good = `${dir}/good`;
    const ok = await runCli(["--json", "--session", good, "login", "--phone", phone, "--code", code], {
      env: { ...env, TGPIPE_PASSWORD: password },
      secrets: [password],
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(_data(ok).id, Number(FAKE_LOGIN.twoFa.userId));
    assert.ok(!ok.stdout.includes(password) && !ok.stderr.includes(password));
  });
});

Deno.test("a wrong login code exits 4 with a clear error and no session file", async () => {
  await _withWorld(async (tg, dir) => {
    const r = await runCli([
      "--session",
      `${dir}/s`,
      "login",
      "--phone",
      FAKE_LOGIN.user.phone,
      "--code",
      "99999",
    ], {
      env: _env(tg),
    });
    assert.equal(r.code, 4);
    assert.equal(r.stderr, "error: The login code is wrong\n");
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("bot login by token; an invalid token exits 4 and writes nothing", async () => {
  await _withWorld(async (tg, dir) => {
    const env = _env(tg);
    const badToken = "123456:WRONG-token-value";
    const bad = await runCli(["--session", `${dir}/bad`, "login", "--bot-token", badToken], {
      env,
      secrets: [badToken],
    });
    assert.equal(bad.code, 4, bad.stderr);
    assert.equal(bad.stderr, "error: The bot token is invalid\n");
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    const file = `${dir}/bot`;
    const token = FAKE_LOGIN.bot.token;
    const ok = await runCli(["--json", "--session", file, "login", "--bot"], {
      env: { ...env, TGPIPE_BOT_TOKEN: token },
    });
    assert.equal(ok.code, 0, ok.stderr);
    const who = await runCli(["--json", "--session", file, "whoami"], { env, secrets: [token] });
    assert.equal(who.code, 0, who.stderr);
    assert.equal(_data(who).bot, true);
    assert.equal(_data(who).username, FAKE_LOGIN.bot.username);
  });
});

Deno.test("login --session-string imports a session; a revoked session then exits 4", async () => {
  await _withWorld(async (tg, dir) => {
    const env = _env(tg);
    const file = `${dir}/session`;
    const session = tg.sessionFor();
    const r = await runCli(["--session", file, "login", "--session-string", session], {
      env,
      secrets: [session],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    const ok = await runCli(["--json", "--session", file, "whoami"], { env, secrets: [session] });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(_data(ok).id, Number(tg.world.selfUserId));
    for (const rec of tg.registry.values()) rec.revoked = true;
    const who = await runCli(["--session", file, "whoami"], { env, secrets: [session] });
    assert.equal(who.code, 4, who.stderr);
    assert.match(who.stderr, /^error: The Telegram session is no longer valid \(AUTH_KEY_UNREGISTERED\)/);
    assert.equal(who.stderr.split("\n").length, 2, "one line");
  });
});
