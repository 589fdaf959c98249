import assert from "node:assert/strict";
import { startFakeTelegram } from "../../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../../fakedc/world/login.ts";
import { login } from "../../../lib/app/account/login.ts";
import { whoami } from "../../../lib/app/account/whoami.ts";
import type { TelegramAccess } from "../../../lib/app/shared/telegram_access.ts";
import { LoginRequiredError, UsageError } from "../../../lib/core/errors.ts";

Deno.test("interactive login asks for phone, code and the 2FA password (secret) in order", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5", basePort: 0 });
  const dir = await Deno.makeTempDir();
  try {
    const access: TelegramAccess = {
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      sessionFile: `${dir}/session`,
      sessionString: undefined,
    };
    const asked: Array<[string, boolean]> = [];
    const answers = [FAKE_LOGIN.twoFa.phone, FAKE_LOGIN.twoFa.code, FAKE_LOGIN.twoFa.password];
    const account = await login({
      access,
      method: { kind: "user" },
      ask: (q, o) => {
        asked.push([q, o.secret]);
        return Promise.resolve(answers.shift());
      },
    });
    assert.equal(account.id, Number(FAKE_LOGIN.twoFa.userId));
    assert.deepEqual(asked.map(([q, secret]) => [q.split(" ")[0], secret]), [
      ["Phone", false],
      ["Code", false],
      ["2FA", true],
    ]);
    assert.match(asked[2][0], /hint: classic/);
    assert.equal((await whoami(access)).id, Number(FAKE_LOGIN.twoFa.userId));
    // no terminal and no --code: a usage error before any session is written
    const other = { ...access, sessionFile: `${dir}/other` };
    await assert.rejects(
      () => login({ access: other, method: { kind: "user", phone: FAKE_LOGIN.user.phone } }),
      UsageError,
    );
    await assert.rejects(() => whoami(other), LoginRequiredError);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["session"]);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a wrong code or 2FA password is asked again, up to 3 tries in all", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5", basePort: 0 });
  const dir = await Deno.makeTempDir();
  try {
    const access = (name: string): TelegramAccess => ({
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      sessionFile: `${dir}/${name}`,
      sessionString: undefined,
    });
    const { phone, code, password } = FAKE_LOGIN.twoFa;
    const asker = (answers: string[], asked: string[]) => (q: string) => {
      asked.push(q);
      return Promise.resolve(answers.shift());
    };
    const asked: string[] = [];
    const ok = await login({
      access: access("a"),
      method: { kind: "user", phone },
      ask: asker(["00000", code, "nope", password], asked),
    });
    assert.equal(ok.id, Number(FAKE_LOGIN.twoFa.userId));
    assert.deepEqual(asked.map((q) => q.split(/[.:(]/)[0]), [
      "Code sent via the Telegram app",
      "The code is wrong",
      "2FA password ",
      "The password is wrong",
    ]);
    // three wrong codes: the login ends with the wrong-code error and writes no session
    const wrong: string[] = [];
    await assert.rejects(
      () =>
        login({
          access: access("b"),
          method: { kind: "user", phone },
          ask: asker(["1", "2", "3", code], wrong),
        }),
      (e) => e instanceof LoginRequiredError && e.reason === "wrong_code",
    );
    assert.equal(wrong.length, 3);
    // no terminal: a wrong --password given as a flag is not asked again
    await assert.rejects(
      () => login({ access: access("c"), method: { kind: "user", phone, code, password: "bad" } }),
      (e) => e instanceof LoginRequiredError && e.reason === "wrong_password",
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a"]);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
