/**
 * Named accounts: `login --name` stores a 0600 session under the data directory; `--session NAME`
 * and `--account NAME` find it; a bad name is exit 2; the session never shows in output.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";

function _data(r: RunCliResult): Record<string, unknown> {
  const ev = r.events.find((e) => e.type === "result");
  assert.ok(ev && ev.type === "result", `no result event in ${r.stdout}\n${r.stderr}`);
  return ev.data as Record<string, unknown>;
}

Deno.test("login --name stores a named account; --session NAME and --account NAME use it", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=30,files=2,file_size=20KB",
    basePort: 0,
  });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_named_" });
  try {
    // only stored sessions count: the fake DC's ready-made one is left out
    const { TGPIPE_SESSION: _, ...base } = tg.env;
    const env = { ...base, TGPIPE_DATA_DIR: `${dir}/data`, TGPIPE_KV: `${dir}/p.kv` };
    for (const [name, who] of [["work", FAKE_LOGIN.user], ["home", FAKE_LOGIN.twoFa]] as const) {
      const args = ["--json", "login", "--name", name, "--phone", who.phone, "--code", who.code];
      const r = await runCli(name === "home" ? [...args, "--password", FAKE_LOGIN.twoFa.password] : args, {
        env,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const file = `${dir}/data/accounts/${name}.session`;
      assert.equal(_data(r).session_file, file);
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${dir}/data/accounts`)).mode! & 0o777, 0o700);
    }
    const secrets = ["work", "home"].map((n) =>
      Deno.readTextFileSync(`${dir}/data/accounts/${n}.session`).trim()
    );
    for (const [name, id] of [["work", FAKE_LOGIN.user.userId], ["home", FAKE_LOGIN.twoFa.userId]] as const) {
      const who = await runCli(["--json", "--session", name, "whoami"], { env, secrets });
      assert.equal(who.code, 0, who.stderr);
      assert.equal(_data(who).id, Number(id), name);
    }
    // the default session is not there: a name is what found the accounts above
    const none = await runCli(["whoami"], { env, secrets });
    assert.equal(none.code, 4, none.stderr);

    const dl = await runCli(
      ["--json", "--session", "work", "dl", "@gen_channel_0", "--account", "home", "--out", `${dir}/o`],
      { env, secrets, timeoutMs: 120_000 },
    );
    assert.equal(dl.code, 0, dl.stderr);
    assert.ok(dl.events.some((e) => e.type === "item_done"), "files came through the pool of both accounts");

    const bad = await runCli(["login", "--name", "../evil", "--phone", FAKE_LOGIN.user.phone], { env });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^error: Bad account name "\.\.\/evil"/m);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
