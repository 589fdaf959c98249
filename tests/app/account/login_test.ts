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
