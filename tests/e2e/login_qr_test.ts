/**
 * `login --qr` against the fake DC, which follows Telegram's QR rules (tests/fakedc/handlers/
 * login_token.ts): tgpipe shows tg://login?token=…, another logged-in session accepts it with
 * auth.acceptLoginToken, and tgpipe finishes the login (with the 2FA password when the account
 * has one) and stores a 0600 session that works.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openQrAcceptor } from "../fakedc/_qr_acceptor.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { spawnWithEvents } from "./_export_helpers.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";

/** Runs `--json login --qr ...`, accepts each shown token from a session of `acceptor`. */
async function _qrLogin(
  tg: Awaited<ReturnType<typeof startFakeTelegram>>,
  args: string[],
  env: Record<string, string>,
  acceptor: bigint,
): Promise<{ code: number; events: TgpipeEvent[]; accepted: Promise<unknown> }> {
  const other = await openQrAcceptor(tg, acceptor);
  const events: TgpipeEvent[] = [];
  let accepted: Promise<unknown> = Promise.resolve();
  try {
    const run = spawnWithEvents(["--json", "login", "--qr", ...args], env, (e) => {
      events.push(e);
      const url = e.type === "log" ? /tg:\/\/login\?token=[\w-]+/.exec(e.message) : null;
      if (url) accepted = other.accept(url[0]);
    });
    const code = await run.done();
    await accepted;
    return { code, events, accepted };
  } finally {
    await other.close();
  }
}

Deno.test("login --qr: the token another session accepts logs tgpipe in (also with 2FA)", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=10", basePort: 0 });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_qr_" });
  try {
    const { TGPIPE_SESSION: _, ...base } = tg.env;
    const env = { ...base, TGPIPE_DATA_DIR: `${dir}/data` };
    for (
      const [who, extra] of [[FAKE_LOGIN.user, []], [FAKE_LOGIN.twoFa, ["--password", "hunter2"]]] as const
    ) {
      const file = `${dir}/${who.userId}.session`;
      const r = await _qrLogin(tg, ["--session", file, ...extra], env, who.userId);
      assert.equal(r.code, 0, JSON.stringify(r.events));
      const result = r.events.find((e) => e.type === "result");
      assert.ok(result?.type === "result" && (result.data as { id: number }).id === Number(who.userId));
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
      const session = (await Deno.readTextFile(file)).trim();
      const me = await runCli(["--json", "--session", file, "whoami"], { env, secrets: [session] });
      assert.equal(me.code, 0, me.stderr);
    }
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login --qr renders the code on the terminal; --qr with --phone is a usage error", async () => {
  const { renderLoginQr } = await import("../../lib/cli/render_login_qr.ts");
  const text = renderLoginQr("tg://login?token=AQIDBA", 1_700_000_000);
  const lines = text.split("\n");
  assert.ok(lines.filter((l) => /^[█▀▄ ]+$/.test(l)).length >= 10, text);
  assert.match(text, /Link Desktop Device/);
  assert.ok(text.includes("tg://login?token=AQIDBA"));
  const r = await runCli(["login", "--qr", "--phone", "15550000001"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /Use only one of/);
});
